import { describe, expect, it } from 'vitest';
import { parsePreviewArgs, UsageError } from './args';

describe('parsePreviewArgs', () => {
  it('defaults to any free port, the default data dir and building', () => {
    expect(parsePreviewArgs([])).toEqual({ port: 0, dataDir: undefined, provider: undefined, build: true });
  });

  it('reads every flag in both spellings', () => {
    expect(parsePreviewArgs(['--port', '4567', '--data-dir', '/tmp/d', '--provider', 'offline', '--no-build'])).toEqual({
      port: 4567,
      dataDir: '/tmp/d',
      provider: 'offline',
      build: false,
    });
    expect(parsePreviewArgs(['--port=0', '--data-dir=/x', '--provider=auto'])).toMatchObject({ port: 0, dataDir: '/x', provider: 'auto' });
  });

  it('rejects bad values and unknown flags with a usage error', () => {
    for (const argv of [['--port', '-1'], ['--port', '70000'], ['--port', 'abc'], ['--port'], ['--provider', 'gpt'], ['--data-dir'], ['--bind', '0.0.0.0'], ['extra']]) {
      expect(() => parsePreviewArgs(argv), argv.join(' ')).toThrow(UsageError);
    }
  });
});
