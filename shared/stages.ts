import { z } from 'zod';

/** The interview's stages, in order. The order is part of the product: jump-back and the tracker rely on it. */
export const STAGES = [
  'INITIAL',
  'COLLECTING_BASICS',
  'EXPLORING_TOOLS',
  'CONFIGURING_TOOLS',
  'REVIEWING_WORKFLOW',
  'FINALIZING',
  'COMPLETED',
] as const;

export const Stage = z.enum(STAGES);
export type Stage = z.infer<typeof Stage>;

export function stageIndex(stage: Stage): number {
  return STAGES.indexOf(stage);
}

/** Readable stage names; the tracker's accessible names and the version diff's words, so change them only compatibly. */
export const STAGE_LABELS: Record<Stage, string> = {
  INITIAL: 'Getting started',
  COLLECTING_BASICS: 'Collecting basics',
  EXPLORING_TOOLS: 'Exploring tools',
  CONFIGURING_TOOLS: 'Configuring tools',
  REVIEWING_WORKFLOW: 'Reviewing workflow',
  FINALIZING: 'Finalizing',
  COMPLETED: 'Completed',
};
