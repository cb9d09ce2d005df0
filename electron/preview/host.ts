import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolveDataDir } from '../paths';
import { parsePreviewArgs, UsageError } from './args';
import { startPreview } from './preview';

export { startPreview } from './preview';
export type { Preview, PreviewOptions } from './preview';

/**
 * `npm run preview -- [--port N] [--data-dir D] [--provider offline] [--no-build]`.
 * The first stdout line is the URL (tests read it); everything else goes to stderr.
 */
async function main(argv: string[]): Promise<void> {
  let args;
  try {
    args = parsePreviewArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const preview = await startPreview({
    port: args.port,
    dataDir: resolveDataDir(args.dataDir),
    provider: args.provider,
    build: args.build,
  });
  process.stdout.write(`Parley preview: ${preview.url}\n`);
  process.stderr.write(`data: ${preview.dataDir}${args.provider ? `, provider: ${args.provider}` : ''} (Ctrl+C to stop)\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`${signal} again: exiting without waiting\n`);
      process.exit(130);
    }
    stopping = true;
    preview.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('preview: error while closing:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function isEntryPoint(): boolean {
  try {
    return !!process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

// Importing this module (tests use startPreview in-process) must not start a second host.
if (isEntryPoint()) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error('preview failed to start:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
