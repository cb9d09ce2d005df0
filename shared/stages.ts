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
