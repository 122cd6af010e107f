/**
 * What the registry watches for in an agency, as pure rules over dates: a qualification's standing
 * (expired, expiring within the warning days), and a report an inspection contradicted — the agency
 * delivered a report without a major hazard (a service that speaks to hazards, training does not),
 * and within the window an inspection found one at the same enterprise. The two numbers of days are
 * configuration (no official figure was found; the product's defaults are the issue's).
 */
import { z } from 'zod';
import type { Kysely } from 'kysely';
import { ASSESSING_SERVICES, type QualificationState, type ServiceType } from '../../../shared/contracts/agencies';
import type { HazardGrade, HazardSource } from '../../../shared/contracts/hazards';
import { addDays, shanghaiDate } from '../../../shared/dates';
import type { DB } from '../../db/schema';
import { defineRule, ruleValue } from '../../rules/rules';
import { startOfShanghaiDay } from '../../db/instants';

export const AGENCY_WATCH = defineRule<{ contradictionDays: number; expiryWarningDays: number }>({
  key: 'agencies.watch',
  title: { zh: '第三方机构监测天数', en: 'Agency watch: days' },
  help: {
    zh: 'contradictionDays：机构出具“无重大事故隐患”报告后，多少天内检查发现重大隐患即视为结论被推翻；expiryWarningDays：资质到期前多少天提醒。',
    en: 'contradictionDays: within how many days of an agency’s report without a major hazard an inspection finding one contradicts it; expiryWarningDays: how many days before a qualification expires the reminders start.',
  },
  schema: z.object({ contradictionDays: z.number().int().min(1).max(730), expiryWarningDays: z.number().int().min(1).max(365) }).strict(),
  default: { contradictionDays: 90, expiryWarningDays: 60 },
  defaultSource: '本产品默认值（可配置）：90 天与 60 天取自需求（#16），未查到官方规定的天数。Product default from the requirement (#16); no official figure was found.',
});

export const AGENCY_RULES = [AGENCY_WATCH];

export const agencyWatch = (db: Kysely<DB>, cityCode: string, date: string) => ruleValue(db, cityCode, AGENCY_WATCH, date);

/** A qualification on a day: expired after its last day, expiring when that day is within the warning days. */
export function qualificationState(expiresOn: string, today: string, warningDays: number): QualificationState {
  if (expiresOn < today) return 'expired';
  return expiresOn <= addDays(today, warningDays) ? 'expiring' : 'valid';
}

/** The worst of several states (expired over expiring over valid); null for none. */
export function worstState(states: readonly QualificationState[]): QualificationState | null {
  if (!states.length) return null;
  return states.includes('expired') ? 'expired' : states.includes('expiring') ? 'expiring' : 'valid';
}

/** Inspections whose findings can contradict an agency: the officials' and the experts'. */
export const CONTRADICTING_SOURCES: readonly HazardSource[] = ['enforcement_inspection', 'expert_inspection', 'routine_inspection'];

export interface DeliveredReport {
  id: string;
  enterpriseId: string;
  serviceType: ServiceType;
  concludedOn: string | null;
  majorFindings: number;
}

export interface LaterFinding {
  id: string;
  enterpriseId: string;
  grade: HazardGrade;
  source: HazardSource;
  /** The day it was found (Shanghai). */
  foundOn: string;
}

/** Says "no major hazard": delivered, of a service that speaks to hazards, with no major finding among its own. */
export const saysNoMajor = (r: DeliveredReport) => r.concludedOn !== null && r.majorFindings === 0 && ASSESSING_SERVICES.includes(r.serviceType);

/**
 * Each (report, finding) where a report said "no major hazard" and an inspection found a major
 * hazard at the same enterprise on the report's day or within `windowDays` after it.
 */
export function contradictions(reports: readonly DeliveredReport[], findings: readonly LaterFinding[], windowDays: number): { engagementId: string; hazardId: string }[] {
  const out: { engagementId: string; hazardId: string }[] = [];
  for (const r of reports) {
    if (!saysNoMajor(r)) continue;
    const until = addDays(r.concludedOn!, windowDays);
    for (const f of findings) {
      if (f.enterpriseId !== r.enterpriseId || f.grade !== 'major' || !CONTRADICTING_SOURCES.includes(f.source)) continue;
      if (f.foundOn >= r.concludedOn! && f.foundOn <= until) out.push({ engagementId: r.id, hazardId: f.id });
    }
  }
  return out;
}


/** `contradictions` over the ledger: the major hazards inspections found at the reports' enterprises in their windows. */
export async function findContradictions(db: Kysely<DB>, reports: readonly DeliveredReport[], windowDays: number): Promise<{ engagementId: string; hazardId: string; hazardCode: string; foundOn: string }[]> {
  const said = reports.filter(saysNoMajor);
  if (!said.length) return [];
  const days = said.map((r) => r.concludedOn!).sort();
  const rows = await db
    .selectFrom('hazards')
    .select(['id', 'code', 'enterprise_id', 'grade', 'source', 'found_at'])
    .where('enterprise_id', 'in', [...new Set(said.map((r) => r.enterpriseId))])
    .where('grade', '=', 'major')
    .where('source', 'in', [...CONTRADICTING_SOURCES])
    .where('found_at', '>=', startOfShanghaiDay(days[0]))
    .where('found_at', '<', startOfShanghaiDay(addDays(days[days.length - 1], windowDays + 1)))
    .execute();
  const found = rows.map((h) => ({ id: h.id, enterpriseId: h.enterprise_id, grade: h.grade, source: h.source as HazardSource, foundOn: shanghaiDate(new Date(h.found_at)), code: h.code }));
  const byId = new Map(found.map((f) => [f.id, f]));
  return contradictions(said, found, windowDays).map((c) => ({ ...c, hazardCode: byId.get(c.hazardId)!.code, foundOn: byId.get(c.hazardId)!.foundOn }));
}
