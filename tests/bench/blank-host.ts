import type { Handlers } from '../../shared/ipc';
import { startServer } from '../../electron/preview/server';

/**
 * cold_start_preview's baseline host: a blank Vite React build served by the preview's own server
 * (same process kind, same static handler and headers), with no backend behind the bridge.
 * `tsx tests/bench/blank-host.ts --dir BUILD`; the first stdout line is the URL, like the preview's.
 */
async function main(argv: string[]): Promise<void> {
  const at = argv.indexOf('--dir');
  const dir = at >= 0 ? argv[at + 1] : undefined;
  if (!dir) throw new Error('usage: tsx tests/bench/blank-host.ts --dir BUILD_DIR');
  // The blank page never calls the bridge, so no channel needs a handler.
  const server = await startServer({ rendererDir: dir, port: 0, handlers: {} as Handlers, onEvent: () => () => undefined });
  process.stdout.write(`Parley preview: ${server.url}\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
