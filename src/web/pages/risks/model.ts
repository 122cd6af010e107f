/** The risk pages' answers as the API gives them, and their addresses. */
import type { z } from 'zod';
import type { RiskDetail, RiskRound, RoundCompletion } from '../../../shared/contracts/risks';
import type { RecordEvent } from '../../../shared/contracts/enforcement';

export type RoundSummary = z.infer<typeof RiskRound>;
export type Completion = z.infer<typeof RoundCompletion>;
export type DistrictCompletion = Completion['districts'][number];
/** GET /api/risks/:id: the item with its timeline. */
export type RiskWithEvents = RiskDetail & { events: RecordEvent[] };

export const riskUrl = (id: string, rest = '') => `/api/risks/${encodeURIComponent(id)}${rest}`;
export const roundUrl = (id: string, rest = '') => `/api/risk-rounds/${encodeURIComponent(id)}${rest}`;
