/**
 * Child process for the versions crash trials (tests/reliability/versions-crash.test.ts): changes
 * one session in a loop, each change saved through the session service with a named version, and
 * acknowledges each on stdout once both the session and its version are durable. The parent
 * SIGKILLs it, mostly while the next version is being written. Change k sets the title "v<k>" and
 * the tone "tone <k>", and its version is named "k<k>", so every version can be checked.
 *   node --import tsx versions-crash-child.ts <dataDir> <id>
 */
import { createSessionStore } from '../../electron/store/sessions';
import { createSessionService } from '../../electron/services/sessions';
import { VersionStore } from '../../electron/versions/store';
import { createVersionService, type VersionService } from '../../electron/versions/service';

const [dataDir, id] = process.argv.slice(2);
if (!dataDir || !id) throw new Error('usage: versions-crash-child <dataDir> <id>');

const clock = () => new Date();
const store = await createSessionStore({ dataDir, verifyOnOpen: false });
const hooks: { versions?: VersionService } = {};
const sessions = createSessionService({ store, clock, newId: () => 'unused', onSaved: (before, after, options) => hooks.versions!.afterSave(before, after, options) });
hooks.versions = createVersionService({ store: new VersionStore({ dataDir }), sessions, clock });

let k = Number((await sessions.get(id)).title.slice(1));
process.stdout.write('ready\n');
for (;;) {
  k++;
  await sessions.update(
    id,
    (s) => ({ ...s, title: `v${k}`, updatedAt: clock().toISOString(), spec: { ...s.spec, tone: { value: `tone ${k}`, confidence: 1, source: 'user-edit', locked: true } } }),
    { snapshot: { cause: 'named', name: `k${k}` } },
  );
  process.stdout.write(`saved ${id} ${k}\n`);
}
