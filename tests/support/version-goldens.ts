import type { Session } from '../../shared/session';
import type { AgentSpec } from '../../shared/spec';
import { restaurantSession } from './export/sessions';

/**
 * The diff goldens: one change each to a real design (the La Tasca restaurant agent), and
 * the one line the diff must show for it. Shared by the diff, CLI and renderer tests (the renderer
 * test reads tests/support/__golden__/version-diffs.json, which the diff test checks).
 */
export interface Golden {
  name: string;
  change: (spec: AgentSpec) => AgentSpec;
  line: string;
}

const edited = <T extends object>(field: T & { value: unknown }, value: unknown) => ({ ...field, value, source: 'user-edit', confidence: 1, locked: true });

export const GOLDENS: Golden[] = [
  {
    name: 'renamed tool',
    change: (spec) => ({ ...spec, tools: spec.tools.map((t, i) => (i === 0 ? { ...t, name: edited(t.name!, 'book_table') } : t)) }),
    line: 'Tool "create_reservation" renamed to "book_table"',
  },
  {
    name: 'parameter optional → required',
    change: (spec) => ({
      ...spec,
      tools: spec.tools.map((t, i) => (i === 1 ? { ...t, input_schema: edited(t.input_schema!, { ...t.input_schema!.value, required: ['reservation_id', 'reason'] }) } : t)),
    }),
    line: 'Tool "cancel_reservation": parameter "reason" is now required',
  },
  {
    name: 'changed method',
    change: (spec) => ({ ...spec, tools: spec.tools.map((t, i) => (i === 1 ? { ...t, method: edited(t.method!, 'POST') } : t)) }),
    line: 'Tool "cancel_reservation": method DELETE → POST',
  },
  {
    name: 'prompt edit',
    change: (spec) => ({ ...spec, system_prompt: edited(spec.system_prompt!, spec.system_prompt!.value.replace('tono cálido', 'tono amable')) }),
    line: 'System prompt edited: "cálido" → "amable"',
  },
  {
    name: 'language change',
    change: (spec) => ({ ...spec, language: edited(spec.language!, 'en') }),
    line: 'Language: es (Spanish) → en (English)',
  },
];

export function goldenBase(): Session {
  return restaurantSession();
}
