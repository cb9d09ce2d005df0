import type { ToolField } from '../../shared/spec';
import { parseAuth } from './answers';
import { parsePath, toolPath } from './fields';
import type { ExtractContext, Finding, Mention, Unit } from './findings';
import { restore, type Protected } from './prose';
import { AUTH_CUE, readMethod, readToolSegment } from './tool-facts';
import { findMentions } from './tool-mentions';

/**
 * The tools a message talks about: each mention of a tool owns the text up to the next one, and
 * that text is read for the tool's details. Sentences about several or all tools ("both use a
 * bearer token") give each of them the detail.
 */

/** Whether the interview is talking about tools, so described actions are tools. */
function inToolContext(ctx: ExtractContext): boolean {
  const pending = ctx.awaiting ? parsePath(ctx.awaiting) : null;
  return (
    ctx.stage === 'EXPLORING_TOOLS' ||
    ctx.stage === 'CONFIGURING_TOOLS' ||
    ctx.awaiting === 'use_tools' ||
    ctx.awaiting === 'tools_done' ||
    (pending?.kind === 'tool' && pending.key === 'name')
  );
}

/** Text per tool: before the first mention it is the awaited tool's; each mention owns the text up to the next. */
function segmentsByTool(units: Unit[], mentions: Mention[], ctx: ExtractContext, pendingTool: number | null, toolFindings: Finding[]): Map<number, string[]> {
  const segments = new Map<number, string[]>();
  const addSegment = (tool: number, s: string) => {
    segments.set(tool, [...(segments.get(tool) ?? []), s]);
  };
  if (mentions.length === 0) {
    if (pendingTool !== null) for (const u of units) if (!u.consumed) addSegment(pendingTool, u.text);
  } else {
    const firstMention = mentions[0]!;
    if (pendingTool !== null) {
      for (let u = 0; u < firstMention.unit; u++) if (!units[u]!.consumed) addSegment(pendingTool, units[u]!.text);
      const head = units[firstMention.unit]!.text.slice(0, firstMention.at);
      if (head.trim()) addSegment(pendingTool, head);
    }
    mentions.forEach((m, k) => {
      const nextM = mentions[k + 1];
      const parts: string[] = [];
      for (let u = m.unit; u < units.length; u++) {
        const unit = units[u]!;
        if (unit.consumed) continue;
        const from = u === m.unit ? m.at : 0;
        if (nextM && u === nextM.unit) {
          parts.push(unit.text.slice(from, nextM.at));
          break;
        }
        // "Both use a bearer token": shared by every tool of the message, handled below.
        if (u !== m.unit && /^(?:both|all|each|every|they both|they all|all of them|both of them|las dos|los dos|ambas|ambos|beide|alle|les deux|tous|entrambi|tutti)\b/i.test(unit.text)) continue;
        parts.push(unit.text.slice(from));
      }
      addSegment(m.tool, parts.join(' '));
      if (m.name) {
        const existing = ctx.spec.tools[m.tool];
        if (!existing) toolFindings.push({ path: toolPath(m.tool, 'name'), value: m.name, confidence: m.nameConfidence });
      }
      if (m.purpose) toolFindings.push({ path: toolPath(m.tool, 'purpose'), value: m.purpose, confidence: m.explicit ? 0.8 : 0.75 });
    });
  }
  return segments;
}

/** "It should book appointments and look up records through our system, which uses OAuth2": every tool of the sentence. */
function readSharedAuth(units: Unit[], p: Protected, ctx: ExtractContext, mentions: Mention[], toolFindings: Finding[]): void {
  units.forEach((unit, u) => {
    const here = [...new Set(mentions.filter((m) => m.unit === u).map((m) => m.tool))];
    if (unit.consumed || here.length < 2 || !AUTH_CUE.test(unit.text)) return;
    const auth = parseAuth(restore(p, unit.text));
    if (!auth || !/\b(auth\w*|bearer|token|api[ -]?key|basic auth|oauth\s?\d?|credential|header|no auth|public|unauthenticated|jwt)\b/i.test(unit.text)) return;
    for (const tool of here) {
      if (toolFindings.some((f) => f.path === toolPath(tool, 'auth'))) continue;
      if (ctx.spec.tools[tool]?.auth && !ctx.overwrite) continue;
      const name = ctx.spec.tools[tool]?.name?.value ?? mentions.find((m) => m.tool === tool && m.name)?.name;
      toolFindings.push({ path: toolPath(tool, 'auth'), value: parseAuth(restore(p, unit.text), name ?? undefined) ?? auth, confidence: 0.85 });
    }
  });
}

/** Sentences about every tool ("Both use a bearer token in the Authorization header"). */
function readForEveryTool(units: Unit[], p: Protected, ctx: ExtractContext, mentions: Mention[], touched: Set<number>, toolFindings: Finding[]): void {
  for (const unit of units) {
    if (unit.consumed || !/^(?:both|all|each|every|they both|they all|all of them|both of them|all (?:our |the )?(?:tools|apis|endpoints)|las dos|los dos|ambas|ambos|todas|todos|beide|alle|les deux|tous|toutes|as duas|os dois|todas|entrambi|entrambe|tutti|tutte)\b|\b(?:both|all of them|each of them) (?:with|use|uses|need|needs|require|requires)\b|\b(?:our|the) (?:whole )?api (?:uses|needs|requires)\b|\ball (?:our |the |of our )?(?:tools|apis|endpoints|calls)\b/i.test(unit.text)) continue;
    const all = new Set([...touched, ...ctx.spec.tools.map((_, i) => i)]);
    for (const tool of all) {
      const auth = parseAuth(restore(p, unit.text), ctx.spec.tools[tool]?.name?.value ?? mentions.find((m) => m.tool === tool)?.name ?? undefined);
      if (auth && AUTH_CUE.test(unit.text) && !toolFindings.some((f) => f.path === toolPath(tool, 'auth'))) {
        const stored = ctx.spec.tools[tool]?.auth;
        if (!stored || ctx.overwrite) toolFindings.push({ path: toolPath(tool, 'auth'), value: auth, confidence: 0.9 });
      }
      const method = readMethod(unit.text);
      if (method && !toolFindings.some((f) => f.path === toolPath(tool, 'method'))) toolFindings.push({ path: toolPath(tool, 'method'), value: method.method, confidence: method.confidence });
    }
  }
}

/** Tool findings from the message, apart from values already stored that this message may not overwrite. */
export function readTools(units: Unit[], p: Protected, ctx: ExtractContext, findings: Finding[]): void {
  const pending = ctx.awaiting ? parsePath(ctx.awaiting) : null;
  const pendingTool = pending?.kind === 'tool' ? pending.index : null;
  const toolContext = inToolContext(ctx);
  const mentions = findMentions(units, ctx, toolContext);
  const toolFindings: Finding[] = [];
  const segments = segmentsByTool(units, mentions, ctx, pendingTool, toolFindings);
  const touched = new Set(segments.keys());
  for (const [tool, parts] of segments) {
    const awaitedKey: ToolField | null = pendingTool === tool && pending?.kind === 'tool' ? pending.key : null;
    readToolSegment(parts.join(' '), p, tool, ctx, toolFindings, awaitedKey);
  }
  readSharedAuth(units, p, ctx, mentions, toolFindings);
  readForEveryTool(units, p, ctx, mentions, touched, toolFindings);
  // Auth named once for the message ("it's all behind a bearer token") also fills tools that lack it.
  for (const f of toolFindings) {
    const path = parsePath(f.path);
    if (!path || path.kind !== 'tool') continue;
    const stored = ctx.spec.tools[path.index]?.[path.key];
    if (stored && !ctx.overwrite && ctx.awaiting !== f.path) continue;
    findings.push(f);
  }
}
