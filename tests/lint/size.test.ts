import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Size limits a newcomer can hold in their head: no source file over 400 lines and no function over
 * 120 lines, outside tests, goldens and test support. Functions are measured with the TypeScript
 * parser, so a nested closure counts towards the function that contains it.
 */

export const MAX_FILE_LINES = 400;
export const MAX_FUNCTION_LINES = 120;

const root = resolve(import.meta.dirname, '../..');

/**
 * Units over the limits that belong to work in progress elsewhere, each with the size it had when
 * listed. An entry may not grow, and must be removed once its unit is within the limit (the test
 * says so), so the list only shrinks.
 */
const PENDING: Record<string, number> = {
};

/** Sizes over the limit that are not pending, pending ones that grew, and pending ones now within it. */
export function judge(sizes: Array<{ unit: string; lines: number; where: string }>, limit: number, pending: Record<string, number>): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const s of sizes) {
    if (!(s.unit in pending)) {
      if (s.lines > limit) problems.push(`${s.where}: ${s.lines} lines (limit ${limit})`);
      continue;
    }
    seen.add(s.unit);
    const listed = pending[s.unit]!;
    if (s.lines > listed) problems.push(`${s.where}: ${s.lines} lines, grew past the ${listed} it had when listed as pending`);
    else if (s.lines <= limit) problems.push(`${s.where}: ${s.lines} lines, within the limit now: remove it from PENDING`);
  }
  return problems;
}

/** Product source files tracked by git: tests, goldens, test support and declarations excluded. */
export function productSources(): string[] {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0');
  return files.filter(
    (f) =>
      /\.(ts|tsx|js|mjs|cjs)$/.test(f) &&
      !/\.d\.ts$/.test(f) &&
      !/\.test\.tsx?$/.test(f) &&
      !/(^|\/)__golden__\//.test(f) &&
      !/(^|\/)__fixtures__\//.test(f) &&
      !f.startsWith('tests/') &&
      !f.startsWith('renderer/src/test/'),
  );
}

export function lineCount(text: string): number {
  if (text.length === 0) return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

export interface FunctionSize {
  name: string;
  line: number;
  lines: number;
}

function functionName(node: ts.Node, sf: ts.SourceFile): string {
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isAccessor(node)) && node.name) {
    return node.name.getText(sf);
  }
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) {
    return parent.name.getText(sf);
  }
  return '(anonymous)';
}

/** Every function-like node in a file with its length in lines (first to last line, inclusive). */
export function functionSizes(file: string, text: string): FunctionSize[] {
  const kind = file.endsWith('x') ? ts.ScriptKind.TSX : file.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const out: FunctionSize[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      out.push({ name: functionName(node, sf), line: start + 1, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

describe('size limits', () => {
  const sources = productSources();

  it('finds the product sources (and leaves tests and goldens out)', () => {
    expect(sources.length).toBeGreaterThan(100);
    expect(sources).toContain('electron/main.ts');
    expect(sources.some((f) => f.includes('.test.'))).toBe(false);
    expect(sources.some((f) => f.includes('__golden__'))).toBe(false);
  });

  it('measures what it claims to measure', () => {
    const body = Array.from({ length: 130 }, (_, i) => `  const v${i} = ${i};`).join('\n');
    const text = `export function big() {\n${body}\n}\nconst small = () => 1;\nclass C { m() {\n return 1;\n} }\n`;
    const sizes = functionSizes('x.ts', text);
    expect(sizes).toEqual([
      { name: 'big', line: 1, lines: 132 },
      { name: 'small', line: 133, lines: 1 },
      { name: 'm', line: 134, lines: 3 },
    ]);
    expect(lineCount('a\nb\n')).toBe(2);
    expect(lineCount('a\nb')).toBe(2);
  });

  it('judges sizes against the limit and the pending list', () => {
    const pending = { 'a.ts': 500, 'b.ts f': 130 };
    expect(judge([{ unit: 'c.ts', lines: 401, where: 'c.ts' }], 400, pending)).toEqual(['c.ts: 401 lines (limit 400)']);
    expect(judge([{ unit: 'c.ts', lines: 400, where: 'c.ts' }], 400, pending)).toEqual([]);
    expect(judge([{ unit: 'a.ts', lines: 450, where: 'a.ts' }], 400, pending)).toEqual([]);
    expect(judge([{ unit: 'a.ts', lines: 501, where: 'a.ts' }], 400, pending)[0]).toMatch(/grew past the 500/);
    expect(judge([{ unit: 'a.ts', lines: 399, where: 'a.ts' }], 400, pending)[0]).toMatch(/remove it from PENDING/);
    expect(judge([{ unit: 'b.ts f', lines: 121, where: 'b.ts:3 f' }], 120, pending)).toEqual([]);
  });

  it('lists as pending only units that exist', () => {
    const units = new Set<string>();
    for (const f of sources) {
      units.add(f);
      for (const s of functionSizes(f, readFileSync(join(root, f), 'utf8'))) units.add(`${f} ${s.name}`);
    }
    expect(Object.keys(PENDING).filter((u) => !units.has(u))).toEqual([]);
  });

  it(`no source file is over ${MAX_FILE_LINES} lines`, () => {
    const sizes = sources.map((f) => ({ unit: f, where: f, lines: lineCount(readFileSync(join(root, f), 'utf8')) }));
    expect(judge(sizes, MAX_FILE_LINES, PENDING)).toEqual([]);
  });

  it(`no function is over ${MAX_FUNCTION_LINES} lines`, () => {
    const sizes = sources.flatMap((f) => functionSizes(f, readFileSync(join(root, f), 'utf8')).map((s) => ({ unit: `${f} ${s.name}`, where: `${f}:${s.line} ${s.name}`, lines: s.lines })));
    expect(judge(sizes, MAX_FUNCTION_LINES, PENDING)).toEqual([]);
  });
});
