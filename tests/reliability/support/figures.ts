/**
 * Figures of the last reliability run (kills survived, payloads fuzzed, files quarantined,
 * secrets found), merged into .test-results/reliability-figures.json for the README section.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from './processes';

const FILE = join(REPO_ROOT, '.test-results', 'reliability-figures.json');

export async function record(name: string, value: number): Promise<void> {
  await mkdir(join(REPO_ROOT, '.test-results'), { recursive: true });
  let figures: Record<string, number> = {};
  try {
    figures = JSON.parse(await readFile(FILE, 'utf8')) as Record<string, number>;
  } catch {
    figures = {};
  }
  figures[name] = value;
  await writeFile(FILE, `${JSON.stringify({ ...figures, updatedAt: Date.now() }, null, 2)}\n`);
}
