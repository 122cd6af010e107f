/** The campaign pages' answers as the API gives them, and their addresses. */
import type { z } from 'zod';
import type { Campaign, CampaignDetail, CampaignProgress, Target } from '../../../shared/contracts/campaigns';

export type CampaignRow = z.infer<typeof Campaign>;
export type CampaignFull = z.infer<typeof CampaignDetail>;
export type Progress = z.infer<typeof CampaignProgress>;
export type TargetRow = z.infer<typeof Target>;

export const campaignUrl = (id: string, rest = '') => `/api/campaigns/${encodeURIComponent(id)}${rest}`;
