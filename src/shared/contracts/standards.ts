import { z } from 'zod';
import { Int, SearchText, Text } from './fields';

export const Clause = z.object({
  id: z.string(),
  standardId: z.string(),
  no: z.string(),
  category: z.string().nullable(),
  text: z.string(),
  source: z.string().nullable(),
  isLeadIn: z.boolean(),
  sort: z.number().int(),
  updatedAt: z.string().nullable(),
});
export type Clause = z.infer<typeof Clause>;

export const StandardSummary = z.object({
  id: z.string(),
  title: z.string(),
  docNo: z.string().nullable(),
  issuer: z.string().nullable(),
  published: z.string().nullable(),
  effective: z.string().nullable(),
  status: z.string().nullable().describe('e.g. 废止 for a repealed standard; null when in force'),
  itemCount: z.number().int().nullable().describe('items the official text has'),
  clauseCount: z.number().int().describe('clause items held (lead-in sentences not counted), to compare with itemCount'),
  clausesComplete: z.boolean(),
  completeness: z.object({ zh: z.string(), en: z.string() }).describe('one plain line on how much of the official text is held'),
  source: z.string().nullable(),
});
export type StandardSummary = z.infer<typeof StandardSummary>;

export const StandardDetail = StandardSummary.extend({
  scope: z.string().nullable(),
  clauses: z.array(Clause),
});
export type StandardDetail = z.infer<typeof StandardDetail>;

export const StandardQuery = z.object({ q: SearchText.optional() }).strict();

export const ClauseInput = z
  .object({
    no: Text(100, { min: 1 }),
    category: Text(100).nullable().optional(),
    text: Text(5000, { min: 1 }),
    source: Text(1000).nullable().optional(),
    isLeadIn: z.boolean().optional(),
    sort: Int(0).optional(),
  })
  .strict();
export const ClausePatch = ClauseInput.partial().strict();

/** A clause suggested for a hazard description (offline TF-IDF), with its score. */
export const ClauseSuggestion = z.object({
  clauseId: z.string(),
  standardId: z.string(),
  standardTitle: z.string(),
  no: z.string(),
  text: z.string(),
  score: z.number(),
  applies: z.boolean().describe("the standard applies to the enterprise's industry (ranked first)"),
});
export type ClauseSuggestion = z.infer<typeof ClauseSuggestion>;
