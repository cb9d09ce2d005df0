import type { ToolField } from '../../shared/spec';

export { STAGE_LABELS } from '../../shared/stages';

export const SPEC_LABELS: Record<string, string> = {
  agent_type: 'Agent type',
  goals: 'Goals',
  tone: 'Tone',
  language: 'Language',
  use_tools: 'Needs tools',
  tools_done: 'No more tools',
  workflow_approved: 'Workflow approved',
  system_prompt: 'System prompt',
  first_message: 'First message',
  business_name: 'Business name',
  call_direction: 'Calls',
  timezone: 'Time zone',
  end_call_conditions: 'When to hang up',
  voicemail: 'At voicemail',
  voice_id: 'Voice',
  llm: 'Agent model',
  temperature: 'Agent temperature',
};

const TRANSFER_LABELS: Record<string, string> = { phone_number: 'Number', condition: 'When', transfer_type: 'How' };

export const TOOL_LABELS: Record<ToolField, string> = {
  name: 'Name',
  purpose: 'Purpose',
  endpoint: 'Endpoint',
  method: 'Method',
  auth: 'Authentication',
  input_schema: 'Input schema',
  output_schema: 'Output schema',
  trigger: 'When to call',
  error_handling: 'On error',
};

/** "goals" → "Goals"; "tools[0].endpoint" → "Tool 1 · Endpoint". */
export function fieldLabel(path: string): string {
  const tool = /^tools\[(\d+)\]\.(\w+)((?:\.[^.]+)*)$/.exec(path);
  if (tool) {
    // Deeper paths (lint findings inside a schema): "Tool 1 · Output schema › properties › status".
    const rest = tool[3] ? tool[3].slice(1).split('.').join(' › ') : '';
    return `Tool ${Number(tool[1]) + 1} · ${TOOL_LABELS[tool[2] as ToolField] ?? tool[2]}${rest ? ` › ${rest}` : ''}`;
  }
  const transfer = /^transfers\[(\d+)\]\.(\w+)$/.exec(path);
  if (transfer) return `Transfer ${Number(transfer[1]) + 1} · ${TRANSFER_LABELS[transfer[2]!] ?? transfer[2]}`;
  const item = /^(knowledge_base|data_collection|success_criteria)\[(\d+)\]$/.exec(path);
  if (item) return `${item[1] === 'knowledge_base' ? 'Knowledge source' : item[1] === 'data_collection' ? 'Record after the call' : 'Success criterion'} ${Number(item[2]) + 1}`;
  return SPEC_LABELS[path] ?? path.replace(/_/g, ' ');
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "just now", "5 minutes ago", "yesterday", or a date for anything older than a week. */
export function timeAgo(iso: string, now: Date = new Date()): string {
  const then = new Date(iso);
  const seconds = (then.getTime() - now.getTime()) / 1000;
  if (Number.isNaN(seconds)) return '';
  const abs = Math.abs(seconds);
  if (abs < 45) return 'just now';
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return relative.format(Math.round(seconds / 3600), 'hour');
  if (abs < 7 * 86400) return relative.format(Math.round(seconds / 86400), 'day');
  return then.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

export function clockTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}
