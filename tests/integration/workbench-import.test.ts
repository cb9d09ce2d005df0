import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../shared/session';
import { exportSession } from '../../electron/export';
import { customerSupportSession } from '../support/export/sessions';
import { startElevenLabsMock, type ElevenLabsMock } from '../helpers/elevenlabs-mock';
import { parleyJson, runParley } from '../helpers/cli';
import { commandProblems, deployProblems, deployProject, killDeployProcesses, removeCliHome, toolBodies } from '../helpers/elevenlabs-deploy';
import { startWorkbenchServer, type WorkbenchServer } from '../helpers/workbench-server';

/**
 * The workbench from the command line: `parley tools import` brings 3 of the 40 operations of an
 * OpenAPI 3.1 document into a design, the interview asks only when to use each tool and what to
 * do when it fails, and the design exports as an ElevenLabs project that the official CLI deploys
 * to the local API mock. `parley tools try` fires a tool at a local API.
 */

const FIXTURES = path.join(import.meta.dirname, '../fixtures/workbench');
let mock: ElevenLabsMock;
let server: WorkbenchServer;
let work: string;

beforeAll(async () => {
  mock = await startElevenLabsMock();
  server = await startWorkbenchServer({ token: 'cli-test-token-3b7e' });
  work = await mkdtemp(path.join(tmpdir(), 'parley-workbench-cli-'));
}, 120_000);

afterAll(async () => {
  killDeployProcesses();
  await mock?.close();
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
  await removeCliHome();
});

type Json = Record<string, unknown>;

async function designIn(dataDir: string): Promise<string> {
  const file = path.join(work, `${path.basename(dataDir)}.parley.json`);
  await writeFile(file, exportSession(customerSupportSession(), 'parley').content);
  return (await parleyJson<{ id: string }>(dataDir, ['import', file])).id;
}

describe('parley tools import → interview → ElevenLabs project → deploy', () => {
  it('imports 3 chosen operations of 40 in one step, asks only trigger and error handling, and deploys', async () => {
    const dataDir = path.join(work, 'data-import');
    const id = await designIn(dataDir);
    const imported = await parleyJson<{ tools: string[]; summary: string; stage: string; awaiting: string }>(dataDir, [
      'tools',
      'import',
      id,
      path.join(FIXTURES, 'shop-openapi-3.1.yaml'),
      '--operations',
      'getOrder,createOrder,cancelOrder',
    ]);
    expect(imported.tools).toEqual(['get_order', 'create_order', 'cancel_order']);
    expect(imported.stage).toBe('CONFIGURING_TOOLS');
    expect(imported.awaiting).toBe('tools[1].trigger');
    expect(imported.summary).toMatch(/^Imported 3 tools from Shop API \(openapi\):/);

    // The interview asks only what the description could not say.
    const asked: string[] = [];
    const answers: Record<string, string> = {
      trigger: 'when the caller asks about this',
      error_handling: 'apologise and offer to take a message',
    };
    for (let turn = 0; turn < 12; turn++) {
      const state = await parleyJson<{ awaiting: string | null; stage: string }>(dataDir, ['show', id]);
      const awaiting = state.awaiting;
      if (!awaiting || !/^tools\[\d+\]\./.test(awaiting)) break;
      asked.push(awaiting);
      const key = awaiting.replace(/^tools\[\d+\]\./, '');
      expect(Object.keys(answers), `asked ${awaiting}`).toContain(key);
      await parleyJson(dataDir, ['say', id, answers[key]!]);
    }
    expect(asked).toEqual(['tools[1].trigger', 'tools[1].error_handling', 'tools[2].trigger', 'tools[2].error_handling', 'tools[3].trigger', 'tools[3].error_handling']);
    await parleyJson(dataDir, ['say', id, 'no more tools']);
    await parleyJson(dataDir, ['say', id, 'approve']);
    const done = await parleyJson<Session>(dataDir, ['show', id]);
    expect(done.stage).toBe('COMPLETED');

    const project = path.join(work, 'shop-project');
    const written = await parleyJson<{ file: string }>(dataDir, ['export', id, '--format', 'elevenlabs', '--out', project]);
    const deploy = await deployProject(written.file, mock, 'parley');
    expect(commandProblems(deploy.runs)).toEqual([]);
    expect(deployProblems(deploy.requests)).toEqual([]);
    const tools = new Map(toolBodies(deploy.requests).map((t) => [t.name as string, t.api_schema as Json]));
    expect([...tools.keys()].sort()).toEqual(['cancel_order', 'create_order', 'get_order', 'get_order_status']);
    expect(tools.get('get_order')).toMatchObject({
      url: 'https://api.shop.test/v1/orders/{order_id}',
      method: 'GET',
      path_params_schema: { order_id: { type: 'string' } },
      query_params_schema: { properties: { include: { type: 'string', enum: ['items', 'none'] } } },
      request_headers: { Authorization: { env_var_label: 'SHOP_API_TOKEN' } },
    });
    expect(tools.get('create_order')).toMatchObject({
      method: 'POST',
      request_body_schema: { required: ['customer', 'items'], properties: { customer: { type: 'object', required: ['name', 'phone'] } } },
      request_headers: { 'X-Partner-Key': { env_var_label: 'SHOP_API_API_KEY' } },
    });
    expect(tools.get('cancel_order')).toMatchObject({ method: 'DELETE', query_params_schema: { required: ['reason'] } });
    expect(JSON.stringify(tools.get('get_order'))).not.toContain('X-Request-Id');
  }, 180_000);

  it('curl, Postman and Swagger 2 files import from the command line', async () => {
    const dataDir = path.join(work, 'data-formats');
    const id = await designIn(dataDir);
    for (const [file, tools] of [
      ['create-ticket.curl', ['post_v2_tickets']],
      ['bookings.postman_collection.json', ['tables_check_availability', 'tables_make_a_booking']],
      ['petstore-swagger-2.json', ['get_appointment', 'book_appointment']],
    ] as const) {
      const result = await parleyJson<{ tools: string[] }>(dataDir, ['tools', 'import', id, path.join(FIXTURES, file)]);
      expect(result.tools).toEqual(tools);
    }
    const session = await parleyJson<Session>(dataDir, ['show', id]);
    expect(session.spec.tools.map((t) => t.name?.value)).toEqual(['get_order_status', 'post_v2_tickets', 'tables_check_availability', 'tables_make_a_booking', 'get_appointment', 'book_appointment']);
    const unknown = await runParley(dataDir, ['tools', 'import', id, path.join(FIXTURES, 'petstore-swagger-2.json'), '--operations', 'nope', '--json']);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.err).error.message).toMatch(/No operation "nope"/);
  }, 60_000);

  it('tools try fires the real request, shows status, latency and body, and can keep the fixture and the schema', async () => {
    const dataDir = path.join(work, 'data-try');
    const id = await designIn(dataDir);
    const curl = path.join(work, 'echo.curl');
    await writeFile(curl, `curl '${server.httpUrl}/orders/A-1001?include=items'`);
    await parleyJson(dataDir, ['tools', 'import', id, curl]);
    // A new host and a loopback address: both refused until allowed.
    const ask = await runParley(dataDir, ['tools', 'try', id, 'get_orders_a_1001', '--json']);
    expect(ask.code).toBe(1);
    expect(JSON.parse(ask.err).error.message).toMatch(/never called 127\.0\.0\.1:\d+.*--allow-host/);
    const privateRefused = await runParley(dataDir, ['tools', 'try', id, 'get_orders_a_1001', '--allow-host', '--json']);
    expect(JSON.parse(privateRefused.err).error.message).toMatch(/loopback or private address/);
    const run = await runParley(dataDir, ['tools', 'try', id, 'get_orders_a_1001', '--allow-host', '--allow-private', '--input', '{"include":"items"}']);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/orders\/A-1001\?include=items\n401 Unauthorized · \d+ ms · \d+ bytes/);
    expect(run.err).toMatch(/401: the server refused the request without credentials/);

    // A secret given on stdin is sent for this call, and shown only by its name.
    const authed = path.join(work, 'authed.curl');
    await writeFile(authed, `curl -H 'Authorization: Bearer x' '${server.httpUrl}/orders/A-1001'`);
    await parleyJson(dataDir, ['tools', 'import', id, authed]);
    const secret = 'Bearer cli-test-token-3b7e';
    const withSecret = await runParley(dataDir, ['tools', 'try', id, 'get_orders_a_1001', '--secrets-from-stdin', '--json'], { stdin: JSON.stringify({ API_TOKEN: secret }) });
    expect(withSecret.code).toBe(0);
    expect(JSON.parse(withSecret.out)).toMatchObject({ status: 200, request: { headers: { authorization: '<secret API_TOKEN>' } } });
    expect(server.seen.at(-1)!.headers.authorization).toBe(secret);
    expect(`${withSecret.out}${withSecret.err}`).not.toContain('cli-test-token-3b7e');
    expect(JSON.stringify(await parleyJson<Session>(dataDir, ['show', id]))).not.toContain('cli-test-token-3b7e');

    const bodyOk = path.join(work, 'ok.curl');
    await writeFile(bodyOk, `curl '${server.httpUrl}/echo-auth'`);
    await parleyJson(dataDir, ['tools', 'import', id, bodyOk]);
    const saved = await parleyJson<{ status: number; latencyMs: number; schema: { proposed: Json } }>(dataDir, ['tools', 'try', id, 'get_echo_auth', '--allow-host', '--allow-private', '--save', '--accept-schema']);
    expect(saved.status).toBe(200);
    expect(saved.latencyMs).toBeGreaterThanOrEqual(0);
    expect(saved.schema.proposed).toEqual({ type: 'object', properties: { you_sent: { type: 'null' } } });
    const session = await parleyJson<Session>(dataDir, ['show', id]);
    const tool = session.spec.tools.find((t) => t.name?.value === 'get_echo_auth')!;
    expect(tool.output_schema!.value).toEqual(saved.schema.proposed);
    expect(tool.workbench!.examples).toHaveLength(1);
  }, 60_000);
});
