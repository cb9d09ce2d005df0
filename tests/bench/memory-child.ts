import { codeword } from '../support/session-fixtures';
import { FIRST_PAGE, listThroughIpc, startBackend } from './backend';

/**
 * memory_10k's measured process: a fresh backend lists the first page and runs a few searches,
 * then reports its RSS as JSON on stdout. Run with --expose-gc so garbage is collected first.
 */
async function main(dataDir: string): Promise<void> {
  const backend = await startBackend(dataDir);
  const page = await listThroughIpc(backend, { limit: FIRST_PAGE });
  for (let i = 0; i < 5; i++) await listThroughIpc(backend, { search: codeword((i * 131) % Math.max(1, page.total)), limit: FIRST_PAGE });
  await listThroughIpc(backend, { search: 'friendly', limit: FIRST_PAGE });
  await backend.sessions.flush();
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  process.stdout.write(`${JSON.stringify({ rss, heapUsed, total: page.total })}\n`);
  await backend.close();
}

main(process.argv[2] ?? '').catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
