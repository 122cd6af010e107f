/**
 * Reference data shipped in `reference/` (copied from verified public sources; see
 * reference/sources.md): districts and streets, GB/T 4754 industries, judgement standards.
 * Loading is idempotent: missing rows are added, nothing an administrator corrected is overwritten.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { isLeadInText } from '../modules/standards/lead-ins';
import { loadProvisions } from '../modules/enforcement/provisions';
import { loadPlanReference } from '../modules/tasks/plan-loader';
import type { DB } from '../db/schema';
import { seedDictionaries } from '../modules/dictionaries/dictionaries';
import { ROOT } from '../paths';

export const REFERENCE_DIR = path.join(ROOT, 'reference');

export function readReference<T>(file: string): T {
  return JSON.parse(readFileSync(path.join(REFERENCE_DIR, file), 'utf8')) as T;
}

export interface DivisionsFile {
  province: { code: string; name: string };
  districts: { code: string; name: string; streets: { code9: string; name: string; type: string }[] }[];
}
export interface IndustriesFile {
  sections: { code: string; name: string; divisions: { code: string; name: string }[] }[];
}
interface StandardFile {
  id: string;
  title: string;
  doc_no?: string;
  issuer?: string;
  published?: string;
  effective?: string;
  scope?: string;
  source?: string;
  confidence?: string;
  status?: string;
  item_count?: number;
  clauses_complete?: boolean;
  clauses_missing?: string;
  clauses: { no: string; category?: string; text: string; source?: string; is_lead_in?: boolean; [k: string]: unknown }[];
  [k: string]: unknown;
}

const CHUNK = 200;
async function insertMissing<T extends { code: string }>(db: Kysely<DB>, table: 'regions' | 'industries', rows: T[]) {
  const existing = new Set((await db.selectFrom(table).select('code').execute()).map((r) => r.code));
  const fresh = rows.filter((r) => !existing.has(r.code));
  for (let i = 0; i < fresh.length; i += CHUNK) await db.insertInto(table).values(fresh.slice(i, i + CHUNK) as never).execute();
  return fresh.length;
}

export async function loadReferenceData(db: Kysely<DB>, now: string): Promise<{ regions: number; industries: number; standards: number; clauses: number }> {
  const divisions = readReference<DivisionsFile>('shanghai-divisions.json');
  const city = divisions.province.code;
  const regionRows: DB['regions'][] = [{ code: city, name: divisions.province.name, level: 'city', parent_code: null, kind: null, city_code: city, sort: 0 }];
  divisions.districts.forEach((d, i) => {
    regionRows.push({ code: d.code, name: d.name, level: 'district', parent_code: city, kind: '区', city_code: city, sort: i + 1 });
    d.streets.forEach((s, j) => regionRows.push({ code: s.code9, name: s.name, level: 'street', parent_code: d.code, kind: s.type, city_code: city, sort: j + 1 }));
  });

  const industries = readReference<IndustriesFile>('industry-gbt4754.json');
  const industryRows: DB['industries'][] = [];
  let sort = 0;
  for (const s of industries.sections) {
    industryRows.push({ code: s.code, name: s.name, level: 'section', parent_code: null, sort: sort++ });
    for (const d of s.divisions) industryRows.push({ code: d.code, name: d.name, level: 'division', parent_code: s.code, sort: sort++ });
  }

  return db.transaction().execute(async (trx) => {
    const regions = await insertMissing(trx, 'regions', regionRows);
    const inds = await insertMissing(trx, 'industries', industryRows);
    const { standards, clauses } = await loadStandards(trx, now);
    await seedDictionaries(trx);
    await loadProvisions(trx, city, now);
    await loadPlanReference(trx, city, now);
    return { regions, industries: inds, standards, clauses };
  });
}

const KNOWN_STANDARD_KEYS = new Set(['id', 'title', 'doc_no', 'issuer', 'published', 'effective', 'scope', 'source', 'confidence', 'status', 'item_count', 'clauses_complete', 'clauses_missing', 'clauses']);

interface StandardIndustriesFile {
  standards: Record<string, { industries: string[] | '*' }>;
}

/** Which industries each standard applies to (GB/T 4754 sections or divisions; `*` for all), added where missing. */
async function loadStandardIndustries(db: Kysely<DB>) {
  const file = readReference<StandardIndustriesFile>('standard-industries.json');
  const have = new Set((await db.selectFrom('standard_industries').select(['standard_id', 'industry_code']).execute()).map((r) => `${r.standard_id} ${r.industry_code}`));
  const standards = new Set((await db.selectFrom('standards').select('id').execute()).map((r) => r.id));
  const rows = Object.entries(file.standards)
    .filter(([id]) => standards.has(id))
    .flatMap(([id, m]) => (m.industries === '*' ? ['*'] : m.industries).map((code) => ({ standard_id: id, industry_code: code })))
    .filter((r) => !have.has(`${r.standard_id} ${r.industry_code}`));
  if (rows.length) await db.insertInto('standard_industries').values(rows).execute();
}

async function loadStandards(db: Kysely<DB>, now: string) {
  const standards = readReference<StandardFile[]>('standards.json');
  const have = new Set((await db.selectFrom('standards').select('id').execute()).map((r) => r.id));
  const haveClauses = new Set((await db.selectFrom('standard_clauses').select(['standard_id', 'no']).execute()).map((r) => `${r.standard_id}\u0000${r.no}`));
  let addedStandards = 0;
  let addedClauses = 0;
  for (const [i, s] of standards.entries()) {
    if (!have.has(s.id)) {
      const meta = Object.fromEntries(Object.entries(s).filter(([k]) => !KNOWN_STANDARD_KEYS.has(k)));
      await db
        .insertInto('standards')
        .values({
          id: s.id,
          title: s.title,
          doc_no: s.doc_no ?? null,
          issuer: s.issuer ?? null,
          published: s.published ?? null,
          effective: s.effective ?? null,
          scope: s.scope ?? null,
          source: s.source ?? null,
          confidence: s.confidence ?? null,
          status: s.status ?? null,
          item_count: typeof s.item_count === 'number' ? s.item_count : null,
          clauses_complete: s.clauses_complete ? 1 : 0,
          clauses_missing: s.clauses_missing ?? null,
          meta: JSON.stringify(meta),
          sort: i,
          created_at: now,
          updated_at: now,
        })
        .execute();
      addedStandards++;
    }
    // Unverified candidate clauses (工贸 `candidate_clauses`) are deliberately not shipped as clause text.
    const rows = s.clauses
      .map((c, j) => ({ c, j }))
      .filter(({ c }) => !haveClauses.has(`${s.id}\u0000${c.no}`))
      .map(({ c, j }) => {
        const { no, category, text, source, is_lead_in, ...rest } = c;
        return {
          id: uuidv7(),
          standard_id: s.id,
          no,
          category: category ?? null,
          text,
          source: source ?? null,
          is_lead_in: is_lead_in || isLeadInText(text) ? 1 : 0,
          sort: (j + 1) * 10,
          meta: JSON.stringify(rest),
          created_at: now,
          updated_at: now,
          updated_by: null,
        };
      });
    for (let k = 0; k < rows.length; k += CHUNK) await db.insertInto('standard_clauses').values(rows.slice(k, k + CHUNK)).execute();
    addedClauses += rows.length;
  }
  // Purpose, scope and definitions articles loaded before they were recognised become lead-ins too,
  // unless an administrator has edited the clause since (their word stands).
  const shipped = await db.selectFrom('standard_clauses').select(['id', 'text']).where('is_lead_in', '=', 0).where('updated_by', 'is', null).execute();
  const leadIns = shipped.filter((c) => isLeadInText(c.text)).map((c) => c.id);
  if (leadIns.length) await db.updateTable('standard_clauses').set({ is_lead_in: 1 }).where('id', 'in', leadIns).execute();
  await loadStandardIndustries(db);
  return { standards: addedStandards, clauses: addedClauses };
}
