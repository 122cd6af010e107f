/** The closed loop's configurable rules, read as they stand on the day of a step. */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema';
import { defineRule, ruleValue } from '../../rules/rules';
import type { LoopRules } from './workflow';

export const MAJOR_ACCEPTORS = defineRule<1 | 2>({
  key: 'hazards.major_acceptors',
  title: { zh: '重大隐患验收人数', en: 'People who accept a major hazard' },
  help: {
    zh: '1：一名有验收权限的人员验收销号；2：一人初验（填写验收意见并上传材料），另一人复核确认后销号。',
    en: '1: one authorised officer accepts and closes; 2: one records the acceptance (opinion and evidence), a second confirms and closes.',
  },
  schema: z.union([z.literal(1), z.literal(2)]),
  default: 1,
  defaultSource: '本产品默认值（可配置）：未查到本市对重大隐患验收人数的规定。Product default; no Shanghai rule on the number of acceptors was found.',
});

export const HAZARD_RULES = [MAJOR_ACCEPTORS];

export async function loopRules(db: Kysely<DB>, cityCode: string, date: string): Promise<LoopRules> {
  return { majorAcceptors: await ruleValue(db, cityCode, MAJOR_ACCEPTORS, date) };
}
