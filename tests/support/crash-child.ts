/**
 * Child process for the crash-safety trials (see crash-harness.ts): saves the given sessions
 * in a loop, forever, and acknowledges each save on stdout once `save` has resolved. The parent
 * kills it with SIGKILL at a random moment. Version k of a session has title "v<k>" and
 * `base + k` messages, so a file mixing two versions is detectable.
 *   node --import tsx crash-child.ts <dataDir> <id>...
 */
import { createSessionStore } from '../../electron/store/sessions';

const [dataDir, ...ids] = process.argv.slice(2);
if (!dataDir || ids.length === 0) throw new Error('usage: crash-child <dataDir> <id>...');

const store = await createSessionStore({ dataDir, verifyOnOpen: false });
const sessions = await Promise.all(ids.map((id) => store.get(id)));
process.stdout.write('ready\n');
for (;;) {
  await Promise.all(
    sessions.map(async (s) => {
      const k = Number(s.title.slice(1)) + 1;
      s.title = `v${k}`;
      s.updatedAt = new Date().toISOString();
      s.messages.push({ id: `k${k}`, role: 'user', text: `message ${k} ${'é'.repeat(k % 97)}`, createdAt: s.updatedAt, status: 'complete' });
      await store.save(s);
      process.stdout.write(`saved ${s.id} ${k}\n`);
    }),
  );
}
