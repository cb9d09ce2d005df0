/**
 * Child process for the stepped-clock crash test: changes one session in a loop through the
 * session service, with a clock that runs backwards (every reading a minute earlier), and
 * acknowledges each change on stdout once it is durable. The parent SIGKILLs it at a random moment.
 *   node --import tsx stepped-clock-child.ts <dataDir> <id> <clock start, ms since epoch>
 * Version k has title "v<k>", stage STAGES[k % 7] and k messages more than version 0. Three
 * changes in four are journal appends (a turn's saves), every fourth a whole-file save; the
 * journal is folded into the file a few milliseconds after each append.
 */
import { randomUUID } from 'node:crypto';
import { STAGES } from '../../../shared/stages';
import { createSessionStore } from '../../../electron/store/sessions';
import { createSessionService } from '../../../electron/services/sessions';

const [dataDir, id, start] = process.argv.slice(2);
if (!dataDir || !id || !start) throw new Error('usage: stepped-clock-child <dataDir> <id> <startMs>');

let t = Number(start);
const clock = () => new Date((t -= 60_000));
const store = await createSessionStore({ dataDir, clock, verifyOnOpen: false, checkpointMs: 2 });
const sessions = createSessionService({ store, clock, newId: randomUUID });
let k = Number((await sessions.get(id)).title.slice(1));
process.stdout.write('ready\n');
for (;;) {
  const v = ++k;
  const at = clock().toISOString();
  await sessions.update(
    id,
    (s) => ({
      ...s,
      title: `v${v}`,
      stage: STAGES[v % STAGES.length]!,
      updatedAt: at,
      messages: [...s.messages, { id: `k${v}`, role: 'user', text: `message ${v}`, createdAt: at, status: 'complete' }],
    }),
    { journal: v % 4 !== 0 },
  );
  process.stdout.write(`saved ${v}\n`);
}
