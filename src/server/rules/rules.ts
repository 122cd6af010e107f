/**
 * Rules as configuration: a module declares a rule (its key, value schema, default and where the
 * default comes from); an administrator sets new values from a date on, each with a source note.
 * Every version is kept, so a decision can always be explained by the rule in force that day.
 * Shared machinery: it knows no module; modules hand their rule definitions to the routes.
 */
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import { audit, transact, type ActorCtx } from '../context';
import type { DB } from '../db/schema';
import { AppError, fieldError, notFound } from '../errors/app-error';
import { shanghaiDate } from '../../shared/dates';

export interface RuleDef<T> {
  key: string;
  title: { zh: string; en: string };
  /** What the value means, for the page where it is set. */
  help: { zh: string; en: string };
  schema: z.ZodType<T>;
  default: T;
  /** Where the default comes from; "example" when no official rule was found (see reference/domain-rules.md). */
  defaultSource: string;
}

export function defineRule<T>(def: RuleDef<T>): RuleDef<T> {
  return def;
}

export interface RuleVersion<T> {
  effectiveFrom: string;
  value: T;
  sourceNote: string;
  setBy: string | null;
  createdAt: string | null;
}

/** The rule's value in force on `date` (Shanghai, YYYY-MM-DD) in a city: the latest version from that date or before, else the default. */
export async function ruleValue<T>(db: Kysely<DB>, cityCode: string, rule: RuleDef<T>, date: string): Promise<T> {
  const row = await db
    .selectFrom('rule_versions')
    .select('value_json')
    .where('city_code', '=', cityCode)
    .where('rule_key', '=', rule.key)
    .where('effective_from', '<=', date)
    .orderBy('effective_from', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return rule.default;
  const parsed = rule.schema.safeParse(JSON.parse(row.value_json));
  // A stored value the current schema no longer accepts falls back to the default rather than break every step.
  return parsed.success ? parsed.data : rule.default;
}

/** Every version of a rule in a city, newest first, the default last. */
export async function ruleVersions<T>(db: Kysely<DB>, cityCode: string, rule: RuleDef<T>): Promise<RuleVersion<T>[]> {
  const rows = await db.selectFrom('rule_versions').selectAll().where('city_code', '=', cityCode).where('rule_key', '=', rule.key).orderBy('effective_from', 'desc').execute();
  return [
    ...rows.map((r) => ({ effectiveFrom: r.effective_from, value: JSON.parse(r.value_json) as T, sourceNote: r.source_note, setBy: r.set_by, createdAt: r.created_at })),
    { effectiveFrom: '1949-01-01', value: rule.default, sourceNote: rule.defaultSource, setBy: null, createdAt: null },
  ];
}

/** Sets a rule's value from a date on (today or later: the past is not rewritten), audited. */
export async function setRule<T>(ctx: ActorCtx, rules: readonly RuleDef<unknown>[], key: string, input: { value: unknown; effectiveFrom: string; sourceNote: string }) {
  const rule = rules.find((r) => r.key === key);
  if (!rule) throw notFound('规则', 'rule');
  const value = rule.schema.safeParse(input.value);
  if (!value.success) throw fieldError('VALIDATION_FAILED', 'value', `取值无效：${value.error.issues[0]?.message ?? ''}`, 'Invalid value for this rule');
  const today = shanghaiDate(ctx.now());
  if (input.effectiveFrom < today) throw fieldError('VALIDATION_FAILED', 'effectiveFrom', `生效日期不能早于今天（${today}）：已生效的规则不能改写`, 'A rule cannot change in the past');
  return transact(ctx, async (tx) => {
    const before = await ruleValue(tx.db, ctx.actor.cityCode, rule, input.effectiveFrom);
    const row = {
      id: uuidv7(),
      city_code: ctx.actor.cityCode,
      rule_key: key,
      effective_from: input.effectiveFrom,
      value_json: JSON.stringify(value.data),
      source_note: input.sourceNote,
      set_by: ctx.actor.userId,
      created_at: ctx.now().toISOString(),
    };
    const taken = await tx.db.selectFrom('rule_versions').select('id').where('city_code', '=', row.city_code).where('rule_key', '=', key).where('effective_from', '=', row.effective_from).executeTakeFirst();
    if (taken) throw new AppError('DUPLICATE', `该规则在 ${row.effective_from} 已有一个版本；请选择其他生效日期`, `This rule already has a version from ${row.effective_from}`);
    await tx.db.insertInto('rule_versions').values(row).execute();
    await audit(tx, { action: 'rule.set', entityType: 'rule', entityId: key, before: { value: before }, after: { value: value.data, effectiveFrom: row.effective_from, sourceNote: row.source_note } });
    return ruleVersions(tx.db, ctx.actor.cityCode, rule as RuleDef<T>);
  });
}
