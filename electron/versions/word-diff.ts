import type { WordOp } from '../../shared/versions';

/** Above this many cells the middle is shown as replaced whole: a diff must stay fast. */
const MAX_CELLS = 4_000_000;

/** Words and the whitespace after each, so joining the ops gives both texts back exactly. */
function tokens(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

function push(ops: WordOp[], op: WordOp['op'], text: string): void {
  if (!text) return;
  const last = ops.at(-1);
  if (last && last.op === op) last.text += text;
  else ops.push({ op, text });
}

/** A word diff (longest common subsequence of words), common prefix and suffix trimmed first. */
export function wordDiff(before: string, after: string): WordOp[] {
  const a = tokens(before);
  const b = tokens(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: WordOp[] = [];
  push(ops, 'same', a.slice(0, start).join(''));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if (midA.length * midB.length > MAX_CELLS) {
    push(ops, 'del', midA.join(''));
    push(ops, 'add', midB.join(''));
  } else {
    const n = midA.length;
    const m = midB.length;
    // lcs[i][j]: length of the LCS of midA[i..] and midB[j..], in one flat array.
    const lcs = new Uint32Array((n + 1) * (m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * (m + 1) + j] = midA[i] === midB[j] ? lcs[(i + 1) * (m + 1) + j + 1]! + 1 : Math.max(lcs[(i + 1) * (m + 1) + j]!, lcs[i * (m + 1) + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j]) {
        push(ops, 'same', midA[i++]!);
        j++;
      } else if (j < m && (i === n || lcs[i * (m + 1) + j + 1]! >= lcs[(i + 1) * (m + 1) + j]!)) push(ops, 'add', midB[j++]!);
      else push(ops, 'del', midA[i++]!);
    }
  }
  push(ops, 'same', a.slice(endA).join(''));
  return ops;
}
