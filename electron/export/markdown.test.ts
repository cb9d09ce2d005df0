import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { USER_EDIT } from '../../shared/spec';
import { f, restaurantSpec, sessionWith } from '../../tests/support/export/sessions';
import { exportSession } from './index';
import { cell, cellCode, code, fenced, prose, quote } from './markdown-text';

/**
 * The Markdown export is rendered here by a real renderer in its most permissive setup (raw HTML
 * allowed, bare links turned into links), as a careless viewer would: whatever the spec says, the
 * document's structure stays the export's own and nothing in it becomes HTML or an active link.
 */
const permissive = new MarkdownIt({ html: true, linkify: true });

/** Rendered HTML back to the text a reader sees. */
function seen(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '<iframe src="https://evil.example/"></iframe>',
  '<script>alert(1)</script>',
  '[click me](javascript:alert(1))',
  '![pixel](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)',
  '<javascript:alert(1)>',
  '[ref]',
  '[ref]: vbscript:msgbox(1)',
  '<!-- hidden -->',
  '```',
  '~~~',
  '`code',
  '## Fake heading',
].join('\n');

function hostileSession() {
  const spec = restaurantSpec();
  const tool = spec.tools[0]!;
  const hostileTool = {
    ...tool,
    purpose: f(HOSTILE),
    endpoint: f('javascript:alert(1)//` | ``'),
    trigger: f(HOSTILE),
    error_handling: f(HOSTILE),
    input_schema: f({ type: 'object', properties: { 'a`b|c': { type: 'string', description: HOSTILE } }, required: [] }),
  };
  return sessionWith(
    {
      ...spec,
      agent_type: f(HOSTILE),
      goals: f(HOSTILE),
      tone: f(HOSTILE),
      tools: [hostileTool, ...spec.tools.slice(1)],
      system_prompt: f(`You are helpful.\n\`\`\`\n${HOSTILE}\n\`\`\`\`\`\nEnd of prompt.`, USER_EDIT),
      first_message: f(`${HOSTILE}\nHello!`, USER_EDIT),
    },
    `Evil <img src=x onerror=alert(1)> [x](javascript:alert(1)) \`\`\``,
  );
}

function render(markdown: string) {
  const html = permissive.render(markdown);
  const tokens = permissive.parse(markdown, {});
  return { html, tokens };
}

describe('Markdown export of hostile spec text', () => {
  const md = exportSession(hostileSession(), 'markdown').content;
  const { html, tokens } = render(md);

  it('renders no HTML from the spec: no img, iframe, script or comment, in any viewer that allows raw HTML', () => {
    expect(tokens.filter((t) => t.type === 'html_block' || t.type === 'html_inline')).toEqual([]);
    for (const inline of tokens.filter((t) => t.type === 'inline')) {
      expect(inline.children?.filter((c) => c.type === 'html_inline') ?? []).toEqual([]);
    }
    expect(html).not.toMatch(/<(img|iframe|script)\b|<!--/i);
  });

  it('makes no link or image from the spec: javascript:, data: and vbscript: stay text', () => {
    const links = tokens.flatMap((t) => t.children ?? []).filter((c) => c.type === 'link_open' || c.type === 'image');
    // Linkify makes bare https addresses links (an endpoint in the workflow); never another scheme.
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(link.type === 'link_open' ? link.attrGet('href') : 'image').toMatch(/^https:\/\//);
    expect(html).not.toMatch(/(href|src)="(javascript|data|vbscript):/i);
  });

  it('keeps the document structure: the same sections, one code block holding exactly the prompt', () => {
    const h2 = tokens.flatMap((t, i) => (t.type === 'heading_open' && t.tag === 'h2' ? [tokens[i + 1]?.content] : []));
    expect(h2).toEqual(['Overview', 'Goals', 'Workflow', 'Tools', 'First message', 'System prompt']);
    const blocks = tokens.filter((t) => t.type === 'fence' || t.type === 'code_block');
    expect(blocks).toHaveLength(1);
    // The prompt as written (the exporter adds its "# Tool use" section after it).
    expect(blocks[0]?.content.startsWith(`You are helpful.\n\`\`\`\n${HOSTILE}\n\`\`\`\`\`\nEnd of prompt.\n`)).toBe(true);
    // Both tools keep their own headings (a stray fence would have swallowed the second).
    const h3 = tokens.flatMap((t, i) => (t.type === 'heading_open' && t.tag === 'h3' ? [tokens[i + 1]?.content] : []));
    expect(h3).toEqual(['create_reservation', 'cancel_reservation']);
  });

  it('an unclosed fence in the goals, a tool or the greeting swallows nothing after it', () => {
    for (const opener of ['```', '~~~', '````js']) {
      const spec = restaurantSpec();
      const session = sessionWith(
        { ...spec, goals: f(`Book tables\n${opener}`), tools: [{ ...spec.tools[0]!, trigger: f(`${opener} when asked`) }, ...spec.tools.slice(1)], first_message: f(`Hi\n${opener}`, USER_EDIT) },
        'Tables',
      );
      const parsed = render(exportSession(session, 'markdown').content).tokens;
      const h2 = parsed.flatMap((t, i) => (t.type === 'heading_open' && t.tag === 'h2' ? [parsed[i + 1]?.content] : []));
      expect(h2, opener).toEqual(['Overview', 'Goals', 'Workflow', 'Tools', 'First message', 'System prompt']);
      expect(parsed.filter((t) => t.type === 'fence'), opener).toHaveLength(1);
    }
  });

  it('still shows the user’s words once rendered', () => {
    const text = seen(html);
    expect(text).toContain('<img src=x onerror=alert(1)>');
    expect(text).toContain('[click me](javascript:alert(1))');
    expect(text).toContain('Hello!');
  });
});

describe('Markdown escaping helpers', () => {
  const inline = (markdown: string) => permissive.renderInline(markdown);

  it('prose: stays text, however it is written', () => {
    for (const text of ['a <b>bold</b> move', '[x](javascript:alert(1))', '`tick`', '\\[x](y)', 'AT&T &lt;', 'data:text/html,<b>x</b>', 'customer data: name', '# not a heading', '> not a quote', '| not | a table |', '---', '***', '___', '=', '-']) {
      const rendered = permissive.render(prose(text));
      expect(rendered, text).toBe(`<p>${permissive.utils.escapeHtml(text)}</p>\n`);
    }
  });

  it('prose: a rule or setext underline under a line stays text; a list stays a list', () => {
    for (const underline of ['---', '===', '- - -', '* * *', '___']) {
      const tokens = permissive.parse(prose(`Goal\n${underline}`), {});
      expect(tokens.map((t) => t.type), underline).toEqual(['paragraph_open', 'inline', 'paragraph_close']);
    }
    expect(permissive.render(prose('- book a table\n- cancel it'))).toBe('<ul>\n<li>book a table</li>\n<li>cancel it</li>\n</ul>\n');
  });

  it('code: a delimiter longer than any backtick run, so the text cannot close it', () => {
    for (const text of ['a`b', '``', '`start', 'end`', 'x ``` y', ' spaced ']) {
      expect(inline(code(text)), text).toBe(`<code>${permissive.utils.escapeHtml(text)}</code>`);
    }
  });

  it('fenced: the text cannot close the fence', () => {
    const text = 'a\n```\n````\nb';
    const tokens = permissive.parse(`${fenced(text)}\n\nafter`, {});
    expect(tokens[0]).toMatchObject({ type: 'fence', content: `${text}\n` });
    expect(tokens.at(-2)).toMatchObject({ type: 'inline', content: 'after' });
  });

  it('cells and quotes: one cell per value, one quote per message', () => {
    const table = permissive.parse(`| A | B |\n| --- | --- |\n| ${cell('x | y\nz')} | ${cellCode('a|b')} |`, {});
    const cells = table.filter((t) => t.type === 'inline').map((t) => t.content);
    expect(cells.slice(2)).toEqual(['x | y z', '`a|b`']);
    expect(permissive.render(`| A | B |\n| --- | --- |\n| ${cell('x | y')} | ${cellCode('a|b')} |`)).toContain('<td><code>a|b</code></td>');
    const quoted = permissive.parse(quote('line one\n```\n<img src=x>'), {});
    expect(quoted.filter((t) => t.type === 'blockquote_open')).toHaveLength(1);
    expect(quoted.filter((t) => t.type === 'fence' || t.type.startsWith('html'))).toEqual([]);
  });
});
