import { TOOL_FIELDS, type AgentSpec } from '../../../shared/spec';
import type { Stage } from '../../../shared/stages';

const BASICS = ['agent_type', 'goals', 'tone'] as const;

/**
 * What the current stage still needs before it can move on, as field paths in asking order:
 * the tracker lists them under the current step.
 */
export function missingForStage(stage: Stage, spec: AgentSpec): string[] {
  switch (stage) {
    case 'INITIAL':
    case 'COLLECTING_BASICS':
      return BASICS.filter((k) => !spec[k]);
    case 'EXPLORING_TOOLS':
      return spec.use_tools ? [] : ['use_tools'];
    case 'CONFIGURING_TOOLS': {
      if (spec.use_tools?.value === false) return [];
      if (spec.tools.length === 0) return ['tools[0].name'];
      const out: string[] = [];
      spec.tools.forEach((tool, i) => TOOL_FIELDS.forEach((f) => !tool[f] && out.push(`tools[${i}].${f}`)));
      if (out.length === 0 && spec.tools_done?.value !== true) out.push('tools_done');
      return out;
    }
    case 'REVIEWING_WORKFLOW':
      return spec.workflow_approved?.value === true ? [] : ['workflow_approved'];
    default:
      return [];
  }
}
