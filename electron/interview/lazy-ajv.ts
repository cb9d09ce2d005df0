import { createRequire } from 'node:module';
import type Ajv from 'ajv';

export type AjvLike = Pick<Ajv, 'validateSchema' | 'compile' | 'errorsText' | 'errors'>;
type AjvClass = new (options: { strict: boolean; allErrors: boolean; validateFormats: boolean }) => AjvLike;

let ajvs: { draft7: AjvLike; d2019: AjvLike; d2020: AjvLike } | null = null;

/**
 * Ajv instances are costly to build, so they are made once, on the first schema, not per turn.
 * Ajv itself is loaded then too: it is over a third of the code every CLI command would
 * otherwise parse at start-up, and most runs never validate a schema.
 */
export function loadAjvs(): { draft7: AjvLike; d2019: AjvLike; d2020: AjvLike } {
  if (!ajvs) {
    const load = createRequire(import.meta.url);
    const make = (id: string) => {
      const mod = load(id) as { default?: AjvClass } & AjvClass;
      // Formats ("date", "time", "email") describe a tool's parameters; nothing here validates values against them.
      return new (mod.default ?? mod)({ strict: false, allErrors: false, validateFormats: false });
    };
    ajvs = { draft7: make('ajv'), d2019: make('ajv/dist/2019'), d2020: make('ajv/dist/2020') };
  }
  return ajvs;
}
