/**
 * Text from a spec put into Markdown so that it stays text in any viewer: no HTML (`<img
 * onerror>`, `<iframe>`), no links or images (so no `javascript:`, `data:` or `vbscript:` link),
 * no code span or fence that swallows the rest of the document. What the user wrote still reads
 * the same once rendered: the escapes are Markdown's own (a backslash, or `&lt;` for "<").
 */

/** Schemes a viewer could run or render; written with an entity colon, they are no scheme at all. */
const ACTIVE_SCHEME = /\b(javascript|vbscript|data):(?=\S)/gi;

/** One paragraph (or line) of the user's text, with what could become markup escaped. */
export function prose(text: string): string {
  return (
    text
      .replace(/\\/g, '\\\\')
      // Links, images, reference definitions, footnotes: no "[" survives as syntax.
      .replace(/[[\]]/g, (c) => `\\${c}`)
      // Code spans and fences made of backticks.
      .replace(/`/g, '\\`')
      // HTML tags, comments and autolinks all start with "<"; an entity the user typed stays as typed.
      .replace(/&(?=#?\w+;)/g, '&amp;')
      .replace(/</g, '&lt;')
      // At the start of a line: a fence of tildes, a heading, a quote or a table row; and a line
      // that would be a rule or turn the line above into a heading. The user's text cannot add
      // sections to the document (lists stay lists).
      .replace(/^( {0,3})([~#>|])/gm, '$1\\$2')
      .replace(/^( {0,3})([-=*_])(?=[ \t]*(?:\2[ \t]*)*$)/gm, '$1\\$2')
      .replace(ACTIVE_SCHEME, '$1&#58;')
  );
}

/** One line of text: line breaks become spaces (a title, a heading, a table cell). */
export function proseLine(text: string): string {
  return prose(text.replace(/\s*\r?\n\s*/g, ' '));
}

/** A table cell: one line, its pipes escaped, an em dash when empty. */
export function cell(text: string): string {
  return proseLine(text).replace(/\|/g, '\\|').trim() || '—';
}

/** Inline code whose delimiter is longer than any backtick run inside, so the text cannot close it. */
export function code(text: string): string {
  const line = text.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...[...line.matchAll(/`+/g)].map((m) => m[0].length));
  const tick = '`'.repeat(longest + 1);
  const pad = line.startsWith('`') || line.endsWith('`') || (line.startsWith(' ') && line.endsWith(' ')) ? ' ' : '';
  return `${tick}${pad}${line}${pad}${tick}`;
}

/** Inline code in a table cell: the table's pipes are escaped even there (GFM removes the backslash). */
export function cellCode(text: string): string {
  return text.trim() ? code(text).replace(/\|/g, '\\|') : '—';
}

/** A fenced block whose fence is longer than any backtick run inside, so the text cannot close it. */
export function fenced(text: string, info = 'text'): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${info}\n${text}\n${fence}`;
}

/** A block quote of the user's text, line by line. */
export function quote(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => (line.trim() ? `> ${prose(line)}` : '>'))
    .join('\n');
}
