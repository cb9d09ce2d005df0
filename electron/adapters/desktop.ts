import { join } from 'node:path';
import { app, dialog, shell, type BrowserWindow } from 'electron';

/** The OS services the backend may ask for in the desktop app: the save dialog and the file manager. */
export function createDesktop(parent: () => BrowserWindow | null) {
  return {
    /** The save dialog itself confirms before replacing a file. */
    async chooseSavePath(suggestedName: string): Promise<string | null> {
      const options = {
        title: 'Export agent',
        defaultPath: join(app.getPath('documents'), suggestedName),
        properties: ['createDirectory', 'showOverwriteConfirmation'] as Array<'createDirectory' | 'showOverwriteConfirmation'>,
      };
      const window = parent();
      const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    /** Opens a folder in the OS file manager; false when the OS refused. */
    async revealPath(path: string): Promise<boolean> {
      return (await shell.openPath(path)) === '';
    },
  };
}
