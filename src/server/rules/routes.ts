import { z } from 'zod';
import { IsoDate, Text } from '../../shared/contracts/fields';
import { route, type RouteDef } from '../http/route';
import { ruleValue, ruleVersions, setRule, type RuleDef } from './rules';
import { shanghaiDate } from '../../shared/dates';

const RuleVersion = z.object({ effectiveFrom: z.string(), value: z.unknown(), sourceNote: z.string(), setBy: z.string().nullable(), createdAt: z.string().nullable() });
const Rule = z.object({
  key: z.string(),
  title: z.object({ zh: z.string(), en: z.string() }),
  help: z.object({ zh: z.string(), en: z.string() }),
  value: z.unknown().describe('the value in force today'),
  versions: z.array(RuleVersion).describe('newest first; the last is the product default with its source'),
});
const RuleKey = z.object({ key: z.string().regex(/^[a-z][a-z0-9_.]{1,60}$/) });
const RuleInput = z
  .object({
    value: z.unknown().describe('a value the rule accepts'),
    effectiveFrom: IsoDate().describe('Shanghai date from which the value applies (today or later)'),
    sourceNote: Text(500, { min: 1, minMessage: '请注明依据（文件名称、文号或会议纪要）' }),
  })
  .strict();

/** Rules of every module, read by anyone signed in, set by administrators from a date on. */
export function ruleRoutes(rules: readonly RuleDef<unknown>[]): RouteDef[] {
  const present = async (db: Parameters<typeof ruleValue>[0], city: string, today: string, r: RuleDef<unknown>) => ({
    key: r.key,
    title: r.title,
    help: r.help,
    value: await ruleValue(db, city, r, today),
    versions: await ruleVersions(db, city, r),
  });
  return [
    route({
      method: 'GET',
      url: '/api/rules',
      summary: '规则配置 The configurable rules, their value today and every version with its source',
      tags: ['rules'],
      auth: 'user',
      response: { status: 200, schema: z.object({ items: z.array(Rule) }) },
      handler: async ({ ctx }) => ({ items: await Promise.all(rules.map((r) => present(ctx.db, ctx.actor.cityCode, shanghaiDate(ctx.now()), r))) }),
    }),
    route({
      method: 'PUT',
      url: '/api/rules/:key',
      summary: 'Set a rule’s value from a date on (administrators; audited; earlier versions are kept)',
      tags: ['rules'],
      auth: { permission: 'rules.edit' },
      params: RuleKey,
      body: RuleInput,
      response: { status: 200, schema: z.object({ versions: z.array(RuleVersion) }) },
      errors: ['VALIDATION_FAILED', 'DUPLICATE', 'NOT_FOUND'],
      handler: async ({ ctx, params, body }) => ({ versions: await setRule(ctx, rules, params.key, body) }),
    }),
  ];
}
