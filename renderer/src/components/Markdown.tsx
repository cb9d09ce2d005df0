import type { ReactNode } from 'react';

/**
 * A deliberately small Markdown subset (paragraphs, lists, fenced code, **bold**, *italic*,
 * `code`) rendered as React elements. Never HTML: model output cannot inject markup.
 */
export function Markdown({ text }: { text: string }) {
  return <>{blocks(text)}</>;
}

function blocks(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.startsWith('```')) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.startsWith('```')) body.push(lines[i++]!);
      i++;
      out.push(
        <pre key={out.length}>
          <code>{body.join('\n')}</code>
        </pre>,
      );
      continue;
    }
    const bullet = /^\s*[-*•]\s+/;
    const numbered = /^\s*\d+[.)]\s+/;
    if (bullet.test(line) || numbered.test(line)) {
      const re = bullet.test(line) ? bullet : numbered;
      const items: string[] = [];
      while (i < lines.length && re.test(lines[i]!)) items.push(lines[i++]!.replace(re, ''));
      const children = items.map((item, k) => <li key={k}>{inline(item)}</li>);
      out.push(re === bullet ? <ul key={out.length}>{children}</ul> : <ol key={out.length}>{children}</ol>);
      continue;
    }
    if (line.trim() === '') {
      i++;
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '' && !lines[i]!.startsWith('```') && !bullet.test(lines[i]!) && !numbered.test(lines[i]!)) {
      para.push(lines[i++]!);
    }
    out.push(<p key={out.length}>{para.flatMap((l, k) => (k === 0 ? inline(l) : [<br key={`br${k}`} />, ...inline(l)]))}</p>);
  }
  return out;
}

// Emphasis markers count only at word edges, so snake_case names (get_order_status) stay intact.
const INLINE = /(`[^`\n]+`|\*\*[^*\n]+\*\*|(?<![\p{L}\p{N}*])\*[^*\s][^*\n]*\*(?![\p{L}\p{N}])|(?<![\p{L}\p{N}_])_[^_\s][^_\n]*_(?![\p{L}\p{N}_]))/gu;

function inline(text: string): ReactNode[] {
  return text.split(INLINE).map((part, k) => {
    if (part.length > 2 && part.startsWith('`') && part.endsWith('`')) return <code key={k}>{part.slice(1, -1)}</code>;
    if (part.length > 4 && part.startsWith('**') && part.endsWith('**')) return <strong key={k}>{part.slice(2, -2)}</strong>;
    if (part.length > 2 && ((part.startsWith('*') && part.endsWith('*')) || (part.startsWith('_') && part.endsWith('_')))) {
      return <em key={k}>{part.slice(1, -1)}</em>;
    }
    return part;
  });
}
