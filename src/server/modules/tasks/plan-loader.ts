/**
 * Loading a plan's tree (the shipped one from `reference/`, another from the API): the plan row and
 * its actions and measures, once per city and code. Knows nothing of tasks, so the reference loader
 * may use it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { DB } from '../../db/schema';
import { ROOT } from '../../paths';

export const PLAN_FILE = 'shanghai-plan-2024-2026.json';

export interface PlanFile {
  code: string;
  title: string;
  issuer: string;
  periodFrom: string;
  periodTo: string;
  sourceNote: string;
  actions: { no: number; title: string; body: string | null; measures: { no: number; title: string; body: string | null }[] }[];
  milestones: { measureNo: number; title: string; dueOn: string; quote: string; lead: 'city' | 'districts' }[];
}

/** Adds the shipped plan and its tree to a city, once; an existing plan is left as it is. */
export async function loadPlanReference(db: Kysely<DB>, cityCode: string, now: string, file = PLAN_FILE): Promise<string> {
  return insertPlan(db, cityCode, now, JSON.parse(readFileSync(path.join(ROOT, 'reference', file), 'utf8')) as PlanFile);
}

export async function insertPlan(db: Kysely<DB>, cityCode: string, now: string, plan: Omit<PlanFile, 'milestones'>): Promise<string> {
  const existing = await db.selectFrom('plans').select('id').where('city_code', '=', cityCode).where('code', '=', plan.code).executeTakeFirst();
  if (existing) return existing.id;
  const id = uuidv7();
  await db.insertInto('plans').values({ id, city_code: cityCode, code: plan.code, title: plan.title, issuer: plan.issuer, period_from: plan.periodFrom, period_to: plan.periodTo, source_note: plan.sourceNote, created_at: now }).execute();
  const nodes: DB['plan_nodes'][] = [];
  for (const a of plan.actions) {
    nodes.push({ plan_id: id, kind: 'action', no: a.no, action_no: a.no, title: a.title, body: a.body });
    for (const m of a.measures) nodes.push({ plan_id: id, kind: 'measure', no: m.no, action_no: a.no, title: m.title, body: m.body });
  }
  await db.insertInto('plan_nodes').values(nodes).execute();
  return id;
}

