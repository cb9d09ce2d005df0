// Module loader hooks for trace-modules.mjs (they run on the loader's own thread).
import { appendFileSync } from 'node:fs';

const out = process.env.PARLEY_TRACE_MODULES;

export async function load(url, context, nextLoad) {
  if (out && url.startsWith('file:')) appendFileSync(out, `${url}\n`);
  return nextLoad(url, context);
}
