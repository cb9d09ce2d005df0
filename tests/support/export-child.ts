/**
 * Child process for the interrupted-export test: starts writing an export to <target> and stops
 * for ever once the temp file holds the bytes (before fsync and rename), after saying
 * "writing <temp>" on stdout. The parent kills it with SIGKILL there.
 *   node --import tsx export-child.ts <target>
 */
import { writeExportFile } from '../../electron/fs/user-files';
import { nodeFs, type FsLayer } from '../../electron/fs/layer';

const [target] = process.argv.slice(2);
if (!target) throw new Error('usage: export-child <target>');

const stalling: FsLayer = {
  ...nodeFs,
  createExclusive: async (path, mode) => {
    const handle = await nodeFs.createExclusive(path, mode);
    return {
      write: (data) => handle.write(data),
      sync: async () => {
        process.stdout.write(`writing ${path}\n`);
        await new Promise<never>(() => undefined);
      },
      close: () => handle.close(),
    };
  },
};

await writeExportFile(target, 'partial export', { fs: stalling, force: true });
