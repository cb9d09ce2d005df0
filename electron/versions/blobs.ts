import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { z } from 'zod';
import { hashText } from './design';

/**
 * How a chunk's text is stored in the version file: whole ("j"), deflated ("z", base64), or as a
 * change to the same chunk's text in the version before (the first `p` and last `s` characters are
 * kept and `m` goes between), so a small edit of a long prompt or tool costs a few bytes, not the
 * whole field. A blob's hash is not stored: it is computed when the file is read.
 */
export const StoredBlob = z.union([
  z.object({ j: z.string() }).strict(),
  z.object({ z: z.string() }).strict(),
  z.object({ p: z.number().int().nonnegative(), s: z.number().int().nonnegative(), m: z.string() }).strict(),
]);
export type StoredBlob = z.infer<typeof StoredBlob>;

/** A chain of deltas longer than this is cut by storing the text whole: reading stays cheap. */
const MAX_DEPTH = 48;
const DEFLATE_FROM = 400;

export interface BlobTable {
  text: Map<string, string>;
  depth: Map<string, number>;
}

export function emptyBlobs(): BlobTable {
  return { text: new Map(), depth: new Map() };
}

function whole(text: string): StoredBlob {
  if (text.length < DEFLATE_FROM) return { j: text };
  const z = deflateRawSync(Buffer.from(text, 'utf8')).toString('base64');
  return z.length < text.length ? { z } : { j: text };
}

/** The cheapest way to store `text`, given the blob `baseHash` the same chunk had before (if any). */
export function encodeBlob(text: string, blobs: BlobTable, baseHash: string | undefined): StoredBlob {
  const full = whole(text);
  const base = baseHash === undefined ? undefined : blobs.text.get(baseHash);
  if (base === undefined || baseHash === undefined || (blobs.depth.get(baseHash) ?? 0) >= MAX_DEPTH) return full;
  let p = 0;
  const max = Math.min(base.length, text.length);
  while (p < max && base.charCodeAt(p) === text.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && base.charCodeAt(base.length - 1 - s) === text.charCodeAt(text.length - 1 - s)) s++;
  const delta: StoredBlob = { p, s, m: text.slice(p, text.length - s) };
  return JSON.stringify(delta).length < JSON.stringify(full).length ? delta : full;
}

/** Decodes a stored blob (a delta against `baseHash`), records it and returns its hash; throws with a reason when it cannot be decoded. */
export function decodeBlob(stored: StoredBlob, blobs: BlobTable, baseHash: string | undefined): string {
  let text: string;
  let depth = 0;
  if ('j' in stored) text = stored.j;
  else if ('z' in stored) text = inflateRawSync(Buffer.from(stored.z, 'base64')).toString('utf8');
  else {
    const base = baseHash === undefined ? undefined : blobs.text.get(baseHash);
    if (base === undefined || baseHash === undefined) throw new Error('a change to a chunk that had no text before');
    if (stored.p + stored.s > base.length) throw new Error('a change that does not fit the text it changes');
    text = base.slice(0, stored.p) + stored.m + base.slice(base.length - stored.s);
    depth = (blobs.depth.get(baseHash) ?? 0) + 1;
  }
  const hash = hashText(text);
  if (!blobs.text.has(hash)) {
    blobs.text.set(hash, text);
    blobs.depth.set(hash, depth);
  }
  return hash;
}
