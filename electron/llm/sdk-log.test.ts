import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSdkLog, PROVIDER_LOG } from './sdk-log';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
const temp = async () => {
  const d = await mkdtemp(join(tmpdir(), 'parley-sdklog-'));
  dirs.push(d);
  return d;
};
const at = () => new Date('2026-11-29T12:00:00.000Z');

describe('provider SDK log', () => {
  it('writes nothing until something is logged, then one line per call with the key redacted', async () => {
    const dir = await temp();
    const log = createSdkLog(join(dir, PROVIDER_LOG), at);
    const logger = log.logger('openai', ['sk-test-0123456789abcdef']);
    await expect(stat(join(dir, 'logs'))).rejects.toMatchObject({ code: 'ENOENT' });
    logger.error('Could not parse message into JSON:', 'data: {oops sk-test-0123456789abcdef');
    logger.warn('retrying', { attempt: 2, headers: { authorization: 'Bearer sk-test-0123456789abcdef' } });
    const text = await readFile(log.file, 'utf8');
    expect(text.split('\n').filter(Boolean)).toEqual([
      '2026-11-29T12:00:00.000Z error openai: Could not parse message into JSON: data: {oops [redacted]',
      "2026-11-29T12:00:00.000Z warn openai: retrying { attempt: 2, headers: { authorization: 'Bearer [redacted]' } }",
    ]);
    expect((await stat(log.file)).mode & 0o777).toBe(0o600);
  });

  it('caps a line and rotates a large file', async () => {
    const dir = await temp();
    const log = createSdkLog(join(dir, PROVIDER_LOG), at);
    const logger = log.logger('anthropic', []);
    logger.error('x'.repeat(10_000));
    expect((await readFile(log.file, 'utf8')).length).toBeLessThan(4200);
    await writeFile(log.file, 'y'.repeat(1_000_001));
    logger.error('after rotation');
    expect(await readFile(log.file, 'utf8')).toMatch(/^\S+ error anthropic: after rotation\n$/);
    expect((await stat(`${log.file}.1`)).size).toBe(1_000_001);
  });

  it('never throws when the log cannot be written', async () => {
    const dir = await temp();
    await writeFile(join(dir, 'logs'), 'a file where the folder should be');
    const logger = createSdkLog(join(dir, PROVIDER_LOG), at).logger('local', []);
    expect(() => logger.error('lost')).not.toThrow();
  });
});
