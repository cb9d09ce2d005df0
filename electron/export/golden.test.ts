import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportSession } from './index';
import { EXPORT_FORMATS } from './types';
import { customerSupportSession, restaurantSession, surveySession } from '../../tests/support/export/sessions';
import { parseWithElevenLabsSdk } from '../../tests/support/export/elevenlabs-schema';

/**
 * Golden files: the exact bytes of every target for three fixed designs (a project export is a
 * folder of them). A change to an exporter shows up as a reviewable diff. Regenerate
 * deliberately with UPDATE_GOLDEN=1.
 */
const DIR = path.join(import.meta.dirname, '__golden__');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const SESSIONS = { 'customer-support': customerSupportSession, restaurant: restaurantSession, survey: surveySession } as const;

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? [`${prefix}${e.name}/`, ...listFiles(path.join(dir, e.name), `${prefix}${e.name}/`)] : [`${prefix}${e.name}`],
  );
}

describe('golden exports', () => {
  for (const [label, make] of Object.entries(SESSIONS)) {
    for (const format of EXPORT_FORMATS) {
      it(`${label} → ${format}`, () => {
        const first = exportSession(make(), format, { model: 'gpt-5.5' });
        const second = exportSession(make(), format, { model: 'gpt-5.5' });
        expect(second.content).toBe(first.content);
        expect(second.files).toEqual(first.files);
        expect(first.content.endsWith('\n') && !first.content.endsWith('\n\n')).toBe(true);
        if (format.startsWith('elevenlabs')) expect(parseWithElevenLabsSdk(JSON.parse(first.content)).errors ?? []).toEqual([]);

        if (first.files) {
          // A project: one golden folder, every file and (empty) folder of it.
          const dir = path.join(DIR, `${label}.${format}`);
          if (UPDATE) {
            rmSync(dir, { recursive: true, force: true });
            for (const file of first.files) {
              const out = path.join(dir, file.path);
              if (file.path.endsWith('/')) mkdirSync(out, { recursive: true });
              else {
                mkdirSync(path.dirname(out), { recursive: true });
                writeFileSync(out, file.content, 'utf8');
              }
            }
          }
          if (!existsSync(dir)) throw new Error(`golden folder ${dir} is missing; run with UPDATE_GOLDEN=1 and review it`);
          // Git keeps no empty folders, so only files are compared; the folders are in the file list.
          const filesOnly = (paths: string[]) => paths.filter((p) => !p.endsWith('/')).sort();
          expect(filesOnly(listFiles(dir))).toEqual(filesOnly(first.files.map((f) => f.path)));
          for (const file of first.files) if (!file.path.endsWith('/')) expect(file.content, file.path).toBe(readFileSync(path.join(dir, file.path), 'utf8'));
          return;
        }
        const file = path.join(DIR, `${label}.${first.filename.replace(/^[^.]*\./, '')}`);
        if (UPDATE) {
          mkdirSync(DIR, { recursive: true });
          writeFileSync(file, first.content, 'utf8');
        }
        if (!existsSync(file)) throw new Error(`golden file ${file} is missing; run with UPDATE_GOLDEN=1 and review it`);
        expect(first.content).toBe(readFileSync(file, 'utf8'));
      });
    }
  }
});
