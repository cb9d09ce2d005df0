import { join } from 'node:path';
import { app, dialog, type BrowserWindow } from 'electron';

/** The OS file dialogs the backend may ask for; the save dialog itself confirms before replacing a file. */
export function createDialogs(parent: () => BrowserWindow | null) {
  return {
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
  };
}
