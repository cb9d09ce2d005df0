import { resolve } from 'node:path';
import { BENCH_NAMES, formatTable, runBenches, verdict, writeReport } from './harness';

/**
 * `npm run bench [-- --quick] [--only NAME[,NAME]] [--out FILE]`: runs the benchmarks, prints the
 * table on stdout (progress on stderr) and writes bench-results.json. Exits 0 whatever the
 * verdicts (they are figures, not tests) unless --strict is given; 2 on a usage error.
 */
const USAGE = `usage: npm run bench -- [--quick] [--only NAME[,NAME…]] [--out FILE] [--strict]\nbenchmarks: ${BENCH_NAMES.join(', ')}`;

function parse(argv: string[]): { quick: boolean; only: string[]; out: string; strict: boolean } {
  const out = { quick: false, only: [] as string[], out: 'bench-results.json', strict: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (!v) throw new Error(`${name} needs a value`);
      return v;
    };
    if (name === '--quick') out.quick = true;
    else if (name === '--strict') out.strict = true;
    else if (name === '--only') out.only.push(...value().split(',').filter(Boolean));
    else if (name === '--out') out.out = value();
    else if (name === '--help' || name === '-h') throw new Error(USAGE);
    else throw new Error(`unknown argument "${arg}"`);
  }
  const unknown = out.only.filter((n) => !BENCH_NAMES.includes(n));
  if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(', ')}`);
  return out;
}

async function main(): Promise<void> {
  let args;
  try {
    args = parse(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${(error as Error).message === USAGE ? '' : USAGE}`);
    process.exit(2);
  }
  const report = await runBenches({ quick: args.quick, only: args.only });
  const file = resolve(args.out);
  await writeReport(report, file);
  console.log(`\nParley benchmarks${report.quick ? ' (--quick: sizes too small for the verdicts to mean anything)' : ''} — node ${report.node}, ${report.cpus} CPUs, ${report.date}\n`);
  console.log(formatTable(report));
  for (const r of report.results) if (r.detail) console.log(`\n${r.name}: ${r.detail}`);
  console.log(`\nwritten: ${file}`);
  const failed = report.results.filter((r) => verdict(r) === 'FAIL').map((r) => r.name);
  if (failed.length) console.log(`over budget: ${failed.join(', ')}`);
  process.exit(args.strict && failed.length ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
