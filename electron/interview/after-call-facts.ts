import { dataItemType } from '../../shared/spec';
import type { ExtractContext, Finding, Unit } from './findings';
import { paramsFromProse } from './params';
import { restore, type Protected } from './prose';

/**
 * What happens after a call, from prose: values to record from each call ("after each call,
 * record the order number and whether the issue was solved": ElevenLabs' data collection) and
 * what makes a call a success ("a call is a success when the caller gets their order status":
 * its evaluation criteria).
 */

const RECORD_AFTER = /\b(?:after (?:each|every|the) call|at the end of (?:each|every|the) call|from (?:each|every) call|post-call)\b[^.;]*?\b(?:record|capture|collect|log|note down|extract|save|store|keep)\s+(.+)$/i;
const RECORD_BEFORE = /\b(?:record|capture|collect|log|note down|extract|save|store|keep)\s+(.+?)\s+(?:after|from|at the end of) (?:each|every|the) call\b/i;
const SUCCESS = /\b(?:(?:a|the|each) call (?:is a success|is successful|succeeds|counts as (?:a )?success(?:ful)?|went well)|success means|it(?:'s| is) a success)\s*(?:when|if|once)?\s+(.+)$/i;

export function readAfterCall(units: Unit[], p: Protected, ctx: ExtractContext, out: Finding[]): void {
  let collected = ctx.spec.data_collection?.length ?? 0;
  let criteria = ctx.spec.success_criteria?.length ?? 0;
  const known = new Set((ctx.spec.data_collection ?? []).map((d) => d.value.name));
  for (const unit of units) {
    if (unit.consumed) continue;
    const record = RECORD_AFTER.exec(unit.text)?.[1] ?? RECORD_BEFORE.exec(unit.text)?.[1];
    const list = record ? paramsFromProse(restore(p, record).replace(/[.!]+$/, '')) : null;
    if (list) {
      for (const param of list.params) {
        if (known.has(param.name)) continue;
        known.add(param.name);
        const type = dataItemType(param.schema.type);
        const words = param.name.replace(/_/g, ' ');
        out.push({ path: `data_collection[${collected++}]`, value: { name: param.name, type, description: words.charAt(0).toUpperCase() + words.slice(1) }, confidence: Math.min(0.9, list.certainty) });
      }
      unit.consumed = true;
      continue;
    }
    const success = SUCCESS.exec(unit.text)?.[1];
    if (success) {
      out.push({ path: `success_criteria[${criteria++}]`, value: restore(p, success).trim(), confidence: 0.85 });
      unit.consumed = true;
    }
  }
}
