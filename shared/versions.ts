import { z } from 'zod';

/**
 * Versions of a session's design (its title, stage, awaited field and spec; never its messages).
 * Snapshots are taken on stage transitions, batches of hand edits, exports, publishes, imports,
 * restores, and on demand with a name. Version ids are "v1", "v2", … per session, in order.
 */

export const VERSION_CAUSES = ['stage', 'edit', 'export', 'publish', 'import', 'named', 'restore', 'before-restore'] as const;
export const VersionCause = z.enum(VERSION_CAUSES);
export type VersionCause = z.infer<typeof VersionCause>;

export const VERSION_CAUSE_LABELS: Record<VersionCause, string> = {
  stage: 'Stage change',
  edit: 'Hand edits',
  export: 'Export',
  publish: 'Publish',
  import: 'Import',
  named: 'Saved by name',
  restore: 'Restore',
  'before-restore': 'Before a restore',
};

export const VersionId = z.string().regex(/^v[1-9]\d{0,6}$/, { message: 'a version id looks like "v1", "v12"' });
export type VersionId = z.infer<typeof VersionId>;

export function versionId(n: number): VersionId {
  return `v${n}`;
}

export function versionNumber(id: VersionId): number {
  return Number(id.slice(1));
}

export const VersionInfo = z.object({
  id: VersionId,
  at: z.string(),
  cause: VersionCause,
  /** The name given to a version saved on demand. */
  name: z.string().max(200).optional(),
  /** One line: what changed since the version before (or what the first version holds). */
  summary: z.string(),
  /** For a restore: the version it brought back. */
  restoredFrom: VersionId.optional(),
});
export type VersionInfo = z.infer<typeof VersionInfo>;

/** Which version of the design was exported or published where (kept in the session). */
export const VersionRelease = z.object({
  version: VersionId,
  kind: z.enum(['export', 'publish']),
  /** The export format, or "elevenlabs" for a publish. */
  target: z.string(),
  /** The file or folder written, or the published agent's id. */
  where: z.string(),
  at: z.string(),
});
export type VersionRelease = z.infer<typeof VersionRelease>;

export const WordOp = z.object({ op: z.enum(['same', 'add', 'del']), text: z.string() });
export type WordOp = z.infer<typeof WordOp>;

/** One change between two versions, as one readable line (`line`); `words` is a prompt's word diff. */
export const DiffChange = z.object({
  section: z.enum(['design', 'basics', 'tools', 'prompt', 'spec']),
  /** The field path it concerns ("tone", "tools[1].method", "tools[1].input_schema.party_size"). */
  path: z.string(),
  kind: z.enum(['added', 'removed', 'changed', 'renamed']),
  line: z.string(),
  words: z.array(WordOp).optional(),
});
export type DiffChange = z.infer<typeof DiffChange>;

export const VersionDiff = z.object({
  from: VersionId,
  to: VersionId,
  changes: z.array(DiffChange),
});
export type VersionDiff = z.infer<typeof VersionDiff>;

export const VersionList = z.object({
  versions: z.array(VersionInfo),
  releases: z.array(VersionRelease),
  /** Set when the version store could not be used (it was quarantined): say so to the user. */
  notice: z.string().optional(),
});
export type VersionList = z.infer<typeof VersionList>;

/** What exports and published agents carry: the session's version, e.g. "parley-v12". */
export function versionTag(id: VersionId): string {
  return `parley-${id}`;
}
