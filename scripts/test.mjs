#!/usr/bin/env node
// npm test: typecheck, lint, build, then every Vitest project (unit, renderer, e2e, reliability,
// security) with the JSON reporter; ends with one line "N passed, N failed" and a non-zero exit on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const steps = [
  ['typecheck (node)', 'npx', ['tsc', '-p', 'tsconfig.node.json']],
  ['typecheck (web)', 'npx', ['tsc', '-p', 'tsconfig.web.json']],
  ['lint', 'npx', ['eslint', '.', '--max-warnings=0']],
  ['build', 'npm', ['run', '--silent', 'build']],
];

let passed = 0;
let failed = 0;
const failures = [];
for (const [name, cmd, args] of steps) {
  process.stdout.write(`\n▶ ${name}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status === 0) passed++;
  else {
    failed++;
    failures.push(name);
  }
}

const resultFile = '.test-results/vitest.json';
mkdirSync('.test-results', { recursive: true });
rmSync(resultFile, { force: true });
process.stdout.write('\n▶ vitest\n');
// --long: the reliability suite's long loops (1,000 kills, 110,000 fuzzed payloads).
if (process.argv.includes('--long')) process.env.PARLEY_LONG = '1';
const extra = process.argv.slice(2).filter((a) => a !== '--long');
const v = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${resultFile}`, ...extra], {
  stdio: 'inherit',
});
if (existsSync(resultFile)) {
  const report = JSON.parse(readFileSync(resultFile, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  // A file that fails to load has no tests; count it, so a broken suite can never pass silently.
  const brokenFiles = report.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0);
  failed += brokenFiles.length;
  for (const f of brokenFiles) failures.push(`suite failed to run: ${f.name}`);
  if (report.numFailedTests) failures.push(`${report.numFailedTests} vitest test(s)`);
} else {
  failed++;
  failures.push('vitest produced no report');
}
if (v.status !== 0 && failed === 0) {
  failed++;
  failures.push(`vitest exited with ${v.status}`);
}
if (failures.length) console.log(`\nFailed: ${failures.join(', ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
