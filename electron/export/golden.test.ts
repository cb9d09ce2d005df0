import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportSession } from './index';
import { EXPORT_FORMATS } from './types';
import { customerSupportSession, restaurantSession } from '../../tests/support/export/sessions';
import { parseWithElevenLabsSdk } from '../../tests/support/export/elevenlabs-schema';

/**
 * Golden files: the exact bytes of every target for two fixed designs. A change to an exporter
 * shows up as a reviewable diff. Regenerate deliberately with UPDATE_GOLDEN=1.
 */
const DIR = path.join(import.meta.dirname, '__golden__');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const SESSIONS = { 'customer-support': customerSupportSession, restaurant: restaurantSession } as const;

describe('golden exports', () => {
  for (const [label, make] of Object.entries(SESSIONS)) {
    for (const format of EXPORT_FORMATS) {
      it(`${label} → ${format}`, () => {
        const first = exportSession(make(), format, { model: 'gpt-5.5' });
        const second = exportSession(make(), format, { model: 'gpt-5.5' });
        expect(second.content).toBe(first.content);
        expect(first.content.endsWith('\n') && !first.content.endsWith('\n\n')).toBe(true);
        if (format === 'elevenlabs') expect(parseWithElevenLabsSdk(JSON.parse(first.content)).ok).toBe(true);

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
