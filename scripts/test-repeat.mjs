#!/usr/bin/env node
// npm run test:repeat -- N [vitest args]: builds once, runs the Vitest suite N times with the JSON
// reporter and reports every test whose result changed between runs (a flaky test). Exit 1 when
// any result changed or any run failed; the last line says how many tests were stable.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const [countArg, ...extra] = process.argv.slice(2);
const runs = Number(countArg ?? 3);
if (!Number.isInteger(runs) || runs < 2) {
  console.error('usage: npm run test:repeat -- N [vitest args]   (N ≥ 2)');
  process.exit(2);
}

const build = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
if (build.status !== 0) {
  console.error('build failed; nothing was run');
  process.exit(1);
}

mkdirSync('.test-results', { recursive: true });
/** test id ("file > suite > name") → the status of each run, in order. */
const history = new Map();
const failedRuns = [];
for (let run = 1; run <= runs; run++) {
  const file = `.test-results/repeat-${run}.json`;
  rmSync(file, { force: true });
  process.stdout.write(`\n▶ run ${run} of ${runs}\n`);
  const v = spawnSync('npx', ['vitest', 'run', '--reporter=dot', '--reporter=json', `--outputFile.json=${file}`, ...extra], { stdio: 'inherit' });
  if (!existsSync(file)) {
    failedRuns.push(`run ${run}: no report (exit ${v.status})`);
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  for (const suite of report.testResults) {
    const name = suite.name.replace(`${process.cwd()}/`, '');
    if (suite.assertionResults.length === 0) record(`${name} (suite)`, run, suite.status);
    for (const t of suite.assertionResults) record(`${name} > ${t.fullName}`, run, t.status);
  }
  if (report.numFailedTests || report.numFailedTestSuites) failedRuns.push(`run ${run}: ${report.numFailedTests} failed`);
}

function record(id, run, status) {
  if (!history.has(id)) history.set(id, Array(runs).fill('absent'));
  history.get(id)[run - 1] = status;
}

const changed = [...history].filter(([, statuses]) => new Set(statuses).size > 1);
for (const [id, statuses] of changed) console.log(`changed: ${id}: ${statuses.join(' → ')}`);
for (const line of failedRuns) console.log(line);
console.log(`${runs} runs, ${history.size} tests, ${changed.length} changed result${changed.length === 1 ? '' : 's'}, ${failedRuns.length} failing run${failedRuns.length === 1 ? '' : 's'}`);
process.exit(changed.length || failedRuns.length ? 1 : 0);
