/**
 * 隐患台账导入: a preview that classifies every row (create, update, unchanged, error — with the
 * row, column and a message a clerk understands), then a commit that applies the rows batch by
 * batch. Each batch is one transaction that also moves the job's applied mark, so a commit killed
 * midway leaves whole batches only, and running it again continues without losing or repeating
 * a row. Re-importing a file (or a newer version of it) matches rows to what is already there.
 */
import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { GRADE_LABELS, SOURCE_LABELS, STATUS_LABELS, type HazardGrade, type HazardSource, type HazardStatus } from '../../../shared/contracts/hazards';
import { audit, type ActorCtx } from '../../context';
import { isValidUscc } from '../../../shared/uscc';
import { canCreateEnterprises, rowInScope } from '../../scope/scope';
import { loadPlaceCatalogues } from './catalogues';
import { enterpriseRow, type EnterpriseImportRow } from './enterprise-import';
import { placeOf } from './places';
import { bulkChunkRows, insertMany, keysWithin, updateMany } from '../../db/dialect';
import type { DB } from '../../db/schema';
import { reserveHazardNums } from '../../db/hazard-numbers';
import { isoInstantOrNull, storedInstant } from '../../db/instants';
import { storedFrom } from '../hazards/event-chain';
import { StatementQueue } from '../../db/statement-queue';
import { insertHazards } from '../../db/hazard-search';
import { scopeWhere } from '../../scope/scope';
import { bumpLedgerVersion } from '../hazards/cache';
import { applyTallyDelta, TallyDelta } from '../dashboard/tallies';
import { hazardSearchColumn } from '../hazards/search';
import { shanghaiDateOfInstant, shanghaiDayStartOfInstant } from '../../../shared/dates';
import { runCommit, runPreview, type CommitOptions, type PreviewSource, type RowError, taker, type SheetRow } from './pipeline';
import { allowedOf, type ImportSpec } from './layout';
import { eventIs } from '../hazards/event-actions';
import {
  cellText,
  cleanCode,
  HAZARD_HEADERS,
  isBlankRow,
  parseDate,
  parseDateTime,
  parseGrade,
  parseHazardStatus,
  parseSource,
  parseText,
  type HazardColumn,
  type HeaderMatch,
} from './normalize';

export interface HazardImportRow {
  code: string | null;
  enterpriseId: string;
  districtCode: string;
  streetCode: string | null;
  industryCode: string;
  cityCode: string;
  enterpriseName: string;
  description: string;
  location: string;
  grade: HazardGrade;
  source: HazardSource;
  foundAt: string;
  deadline: string | null;
  status: HazardStatus;
  responsibleName: string | null;
  closedAt: string | null;
  clauseIds: string[];
  /** An enterprise the ledger names that is not registered yet, created with the hazard (the user ticked so). */
  newEnterprise?: NewEnterprise;
}

/** What a ledger row tells of an enterprise it registers: the registry's identity, place and industry. */
export type NewEnterprise = Pick<EnterpriseImportRow, 'uscc' | 'name' | 'address' | 'districtCode' | 'streetCode' | 'industryCode' | 'principalName'>;


const COLUMN_TITLE: Record<HazardColumn, string> = Object.fromEntries(
  (Object.keys(HAZARD_HEADERS.fields) as HazardColumn[]).map((k) => [k, HAZARD_HEADERS.fields[k].synonyms[0]]),
) as Record<HazardColumn, string>;


/** Fields compared to decide update versus unchanged. */
const COMPARED = ['status', 'deadline', 'responsible_name', 'closed_at', 'grade', 'location'] as const;

/** What is read of a hazard a row may match: how it is found, what is compared, what the tallies count. */
const EXISTING = [
  'id', 'num', 'code', 'description', 'version', 'city_code', 'district_code', 'street_code', 'industry_code', 'enterprise_id',
  'grade', 'source', 'supervision_level', 'found_at', ...COMPARED,
] as const;
type Existing = Pick<DB['hazards'], (typeof EXISTING)[number]>;

const DAY_MS = 86_400_000;
/** The start of the Shanghai day an instant (ISO-8601 or stored) falls in, in ms. */
const shanghaiDayStart = (at: string | number) => shanghaiDayStartOfInstant(typeof at === 'number' ? at : storedInstant(at));

function naturalKey(enterpriseId: string, description: string, foundAt: string | number) {
  return `${enterpriseId}\u0000${description}\u0000${shanghaiDayStart(foundAt)}`;
}

/** A natural key as a lookup: enterprise, description, and the Shanghai day of finding as [from, to). */
function naturalLookup(enterpriseId: string, description: string, foundAt: string): [string, string, number, number] {
  const from = shanghaiDayStart(foundAt);
  return [enterpriseId, description, from, from + DAY_MS];
}

/** Resolves 判定依据 text to catalogue clauses: the standard's title and the clause number must both appear. */
function clauseResolver(clauses: { id: string; no: string; title: string }[]) {
  const short = (title: string) => title.replace(/（[^）]*）/g, '');
  return (text: string | null): string[] => {
    if (!text) return [];
    const compact = text.replace(/\s+/g, '');
    const hits = clauses.filter((c) => (compact.includes(c.title) || compact.includes(short(c.title))) && compact.includes(c.no));
    // A more specific number (第三条第（一）项) wins over its article (第三条).
    return hits.filter((h) => !hits.some((o) => o !== h && o.title === h.title && o.no.length > h.no.length && o.no.startsWith(h.no))).map((h) => h.id);
  };
}


export const HAZARD_SPEC: ImportSpec<HazardColumn> = {
  headers: HAZARD_HEADERS,
  values: { grade: allowedOf(GRADE_LABELS), source: allowedOf(SOURCE_LABELS), status: allowedOf(STATUS_LABELS) },
  usccField: 'uscc',
  dateField: 'foundAt',
};

export async function previewHazardImport(ctx: ActorCtx, jobId: string, source: PreviewSource): Promise<void> {
  const places = await loadPlaceCatalogues(ctx);
  const createEnterprises = !!source.mapping?.createEnterprises;
  const clauseRows = await ctx.db.selectFrom('standard_clauses as c').innerJoin('standards as s', 's.id', 'c.standard_id').select(['c.id', 'c.no', 's.title']).where('c.is_lead_in', '=', 0).execute();
  const resolveClauses = clauseResolver(clauseRows);
  const seen = new Map<string, number>();
  await runPreview(ctx, jobId, source, HAZARD_SPEC, (header, batch) => classifyBatch(ctx, header, batch, resolveClauses, seen, places, createEnterprises));
}

async function classifyBatch(
  ctx: ActorCtx,
  header: HeaderMatch<HazardColumn>,
  batch: SheetRow[],
  resolveClauses: (text: string | null) => string[],
  seen: Map<string, number>,
  places: Awaited<ReturnType<typeof loadPlaceCatalogues>>,
  createEnterprises: boolean,
) {
  const col = (cells: unknown[], k: HazardColumn) => (header.columns[k] === undefined ? undefined : cells[header.columns[k]!]);
  const rows = batch.filter((r) => !isBlankRow(r.cells));
  const usccs = new Set<string>();
  const names = new Set<string>();
  for (const r of rows) {
    const u = cleanCode(cellText(col(r.cells, 'uscc')));
    if (u) usccs.add(u);
    const n = cellText(col(r.cells, 'enterpriseName'));
    if (n) names.add(n);
  }
  const scope = scopeWhere<DB, 'enterprises'>(ctx.actor, { city: 'enterprises.city_code', district: 'enterprises.district_code', street: 'enterprises.street_code', industry: 'enterprises.industry_code', enterpriseId: 'enterprises.id' });
  const ents = usccs.size || names.size
    ? await ctx.db
        .selectFrom('enterprises')
        .leftJoin('regions as d', 'd.code', 'enterprises.district_code')
        .leftJoin('regions as s', 's.code', 'enterprises.street_code')
        .select(['enterprises.id', 'enterprises.uscc', 'enterprises.name', 'enterprises.city_code', 'enterprises.district_code', 'enterprises.street_code', 'enterprises.industry_code', 'd.name as district_name', 's.name as street_name'])
        .where(scope)
        .where((eb) => eb.or([eb('enterprises.uscc', 'in', [...usccs, '']), eb('enterprises.name', 'in', [...names, ''])]))
        .execute()
    : [];
  const byUscc = new Map(ents.map((e) => [e.uscc, e]));
  // Codes registered outside the importer's scope: those rows stay errors, never new enterprises.
  const unseen = [...usccs].filter((u) => !byUscc.has(u));
  const registered = new Set(unseen.length ? (await ctx.db.selectFrom('enterprises').select('uscc').where('uscc', 'in', unseen).execute()).map((e) => e.uscc) : []);
  const byName = new Map<string, typeof ents>();
  for (const e of ents) byName.set(e.name, [...(byName.get(e.name) ?? []), e]);

  const codes = rows.map((r) => cleanCode(cellText(col(r.cells, 'code')))).filter(Boolean);
  const existingByCode = new Map<string, Existing>();
  for (let i = 0; i < codes.length; i += 500) {
    const found = await ctx.db.selectFrom('hazards').select(EXISTING).where('code', 'in', codes.slice(i, i + 500)).execute();
    for (const h of found) existingByCode.set(h.code, h);
  }
  // The enterprise, description and day each row would match, so existing hazards are looked up by exact keys.
  const keys = new Map<string, [string, string, number, number]>();
  for (const r of rows) {
    const u = cleanCode(cellText(col(r.cells, 'uscc')));
    const candidates = byName.get(cellText(col(r.cells, 'enterpriseName'))) ?? [];
    const e = (u ? byUscc.get(u) : undefined) ?? (candidates.length === 1 ? candidates[0] : undefined);
    const d = parseText(col(r.cells, 'description'), { maxLength: 2000, multiline: true });
    const f = parseDateTime(col(r.cells, 'foundAt'), { required: true });
    if (e && d.ok && d.value && f.ok && f.value) keys.set(naturalKey(e.id, d.value, f.value), naturalLookup(e.id, d.value, f.value));
  }
  const existingByKey = new Map<string, Existing>();
  if (keys.size) {
    const found = await ctx.db
      .selectFrom('hazards')
      .select(EXISTING)
      .where(keysWithin(ctx.dialect, 'hazards', ['enterprise_id', 'description'], 'found_at', [...keys.values()]))
      .execute();
    for (const h of found) existingByKey.set(naturalKey(h.enterprise_id, h.description, h.found_at), h);
  }

  return rows.map((r) => {
    const errors: RowError[] = [];
    const raw = Object.fromEntries((Object.keys(header.columns) as HazardColumn[]).map((k) => [COLUMN_TITLE[k], cellText(col(r.cells, k))]));
    const take = taker<HazardColumn>(errors, (k) => COLUMN_TITLE[k]);
    const uscc = cleanCode(cellText(col(r.cells, 'uscc')));
    const name = cellText(col(r.cells, 'enterpriseName'));
    let ent: (typeof ents)[number] | undefined = uscc ? byUscc.get(uscc) : undefined;
    if (!ent && name) {
      const candidates = byName.get(name) ?? [];
      if (candidates.length === 1) ent = candidates[0];
      else if (candidates.length > 1) errors.push({ column: COLUMN_TITLE.enterpriseName, message: '有多家同名企业，请填写统一社会信用代码' });
    }
    let fresh: NewEnterprise | undefined;
    let unregistered: string | undefined;
    if (!ent && !errors.length && uscc && isValidUscc(uscc) && name && !registered.has(uscc)) {
      // Not on the registry: an enterprise the row can register, when its place and industry are known and in scope.
      const place = placeOf(places.tree, ctx.actor, { district: cellText(col(r.cells, 'district')), street: cellText(col(r.cells, 'street')), uscc });
      const industry = places.readIndustry(cellText(col(r.cells, 'industry')));
      if (!place.ok) errors.push({ column: COLUMN_TITLE[place.column], message: place.message });
      else if (!industry.ok) errors.push({ column: COLUMN_TITLE.industry, message: industry.message });
      else if (!industry.value) errors.push({ column: COLUMN_TITLE.enterpriseName, message: `企业尚未登记：${name}（${uscc}）；新建须知道其行业：请在文件中加入「行业」列，或先导入企业名录` });
      else if (!canCreateEnterprises(ctx.actor) || !rowInScope(ctx.actor, { cityCode: ctx.actor.cityCode, districtCode: place.district, streetCode: place.street, industryCode: industry.value })) {
        errors.push({ column: COLUMN_TITLE.uscc, message: `企业尚未登记，且不在您的管辖范围内：${name}（${uscc}）` });
      } else if (!createEnterprises) {
        unregistered = uscc;
        errors.push({ column: COLUMN_TITLE.enterpriseName, message: `企业尚未登记：${name}（${uscc}）。可在预览中勾选“新建未登记的企业”，或先导入企业名录` });
      } else {
        fresh = {
          uscc,
          name,
          address: cellText(col(r.cells, 'address')).slice(0, 300),
          districtCode: place.district,
          streetCode: place.street,
          industryCode: industry.value,
          principalName: cellText(col(r.cells, 'principalName')).slice(0, 50),
        };
        ent = { id: `new:${uscc}`, uscc, name, city_code: ctx.actor.cityCode, district_code: place.district, street_code: place.street, industry_code: industry.value, district_name: places.tree.districtNames.get(place.district) ?? null, street_name: null };
      }
    }
    if (!ent && !errors.length) {
      errors.push({ column: uscc ? COLUMN_TITLE.uscc : COLUMN_TITLE.enterpriseName, message: `企业不存在或不在您的管辖范围内：${uscc || name || '（空）'}` });
    }
    const district = cellText(col(r.cells, 'district'));
    if (ent && !fresh && district && district !== ent.district_name && district !== ent.district_code) {
      errors.push({ column: COLUMN_TITLE.district, message: `与企业登记的区（${ent.district_name}）不一致` });
    }
    const street = cellText(col(r.cells, 'street'));
    if (ent && !fresh && street && ent.street_name && street !== ent.street_name) {
      errors.push({ column: COLUMN_TITLE.street, message: `与企业登记的街道（${ent.street_name}）不一致` });
    }
    const description = take('description', parseText(col(r.cells, 'description'), { required: true, maxLength: 2000, multiline: true }));
    const location = take('location', parseText(col(r.cells, 'location'), { maxLength: 300 })) ?? '';
    const grade = take('grade', parseGrade(col(r.cells, 'grade'))) ?? 'general';
    const source = take('source', parseSource(col(r.cells, 'source'))) ?? (ctx.actor.role === 'enterprise' ? 'self_check' : 'other');
    if (ctx.actor.role === 'enterprise' && source !== 'self_check') errors.push({ column: COLUMN_TITLE.source, message: '企业导入的隐患来源应为“企业自查”' });
    const foundAt = take('foundAt', parseDateTime(col(r.cells, 'foundAt'), { required: true }));
    if (foundAt && Date.parse(foundAt) > ctx.now().getTime() + 86_400_000) errors.push({ column: COLUMN_TITLE.foundAt, message: '发现时间不能晚于今天' });
    const deadline = take('deadline', parseDate(col(r.cells, 'deadline')));
    const status = take('status', parseHazardStatus(col(r.cells, 'status'))) ?? 'reported';
    const closedAt = take('closedAt', parseDateTime(col(r.cells, 'closedAt')));
    const responsibleName = take('responsibleName', parseText(col(r.cells, 'responsibleName'), { maxLength: 50 }));
    const clauseText = cellText(col(r.cells, 'clauses'));
    const clauseIds = resolveClauses(clauseText);
    if (grade === 'major' && clauseIds.length === 0) {
      errors.push({ column: COLUMN_TITLE.clauses, message: clauseText ? `未能对应到系统内的判定标准条款：${clauseText}` : '重大隐患须填写判定依据（判定标准名称及条款）' });
    }
    const code = cleanCode(cellText(col(r.cells, 'code'))) || null;
    if (code && code.length > 40) errors.push({ column: COLUMN_TITLE.code, message: '隐患编号过长（最多40个字符）' });

    if (errors.length || !ent || !description || !foundAt) {
      return { rowNumber: r.rowNumber, action: 'error' as const, targetId: null, data: null, errors, raw, unregistered };
    }
    const key = code ? `code:${code}` : `key:${naturalKey(ent.id, description, foundAt)}`;
    const dup = seen.get(key);
    if (dup !== undefined) {
      return { rowNumber: r.rowNumber, action: 'error' as const, targetId: null, data: null, errors: [{ column: code ? COLUMN_TITLE.code : COLUMN_TITLE.description, message: `与第 ${dup} 行重复` }], raw };
    }
    seen.set(key, r.rowNumber);
    const data: HazardImportRow = {
      code,
      enterpriseId: ent.id,
      districtCode: ent.district_code,
      streetCode: ent.street_code,
      industryCode: ent.industry_code,
      cityCode: ent.city_code,
      enterpriseName: ent.name,
      description,
      location,
      grade,
      source,
      foundAt,
      deadline,
      status,
      responsibleName,
      closedAt: status === 'closed' ? closedAt : null,
      clauseIds,
      ...(fresh ? { newEnterprise: fresh, enterpriseId: '' } : {}),
    };
    if (fresh) return { rowNumber: r.rowNumber, action: 'create' as const, targetId: null, data, errors, raw, newEnterprise: { uscc: fresh.uscc, name: fresh.name } };
    const existing = code ? existingByCode.get(code) : existingByKey.get(naturalKey(ent.id, description, foundAt));
    if (existing && existing.enterprise_id !== ent.id) {
      return { rowNumber: r.rowNumber, action: 'error' as const, targetId: null, data: null, errors: [{ column: COLUMN_TITLE.code, message: `编号 ${code} 已属于另一家企业的隐患` }], raw };
    }
    if (!existing) return { rowNumber: r.rowNumber, action: 'create' as const, targetId: null, data, errors, raw };
    return { rowNumber: r.rowNumber, action: differs(existing, data) ? ('update' as const) : ('unchanged' as const), targetId: existing.id, data, errors, raw };
  });
}

/** A stored instant (`db/instants.ts`) and a row's ISO-8601 one. */
const sameInstant = (a: number | null, b: string | null) => (a === null || b === null ? a === b : a === storedInstant(b));

function differs(h: Existing, d: HazardImportRow): boolean {
  return (
    h.status !== d.status ||
    (h.deadline ?? null) !== d.deadline ||
    (h.responsible_name ?? null) !== d.responsibleName ||
    !sameInstant(h.closed_at, d.closedAt) ||
    h.grade !== d.grade ||
    h.location !== d.location
  );
}

export async function commitHazardImport(ctx: ActorCtx, jobId: string, opts: CommitOptions = {}) {
  return runCommit(
    ctx,
    jobId,
    (tx, job) => {
      // The tally cells a batch touches are counted over its parts and written once, at its end.
      const tallies = new TallyDelta();
      return {
        apply: (rows) => applyPart(tx, job, rows as { rowNumber: number; data: HazardImportRow }[], tallies),
        finish: async () => {
          await applyTallyDelta(tx.db, tx.dialect, tallies);
          await bumpLedgerVersion(tx.db, tx.actor.cityCode);
        },
      };
    },
    opts,
  );
}

const OUR_CODE = /^YH-(\d{6})-(\d{4})-(\d{6})$/;

/**
 * Creates or updates the hazards of one part of a batch with set-based statements: one lookup for
 * what exists, code numbers reserved per district and year in one counter update, multi-row
 * inserts; counts them into the batch's `tallies`. Matching is repeated here, so a row created
 * meanwhile (or by an earlier part) is updated, never duplicated.
 */
async function applyPart(tx: ActorCtx, job: DB['import_jobs'], rows: { rowNumber: number; data: HazardImportRow }[], tallies: TallyDelta): Promise<string[]> {
  const db = tx.db;
  const now = tx.now().toISOString();
  await registerNewEnterprises(tx, job, rows, now);
  const day = (iso: string) => shanghaiDateOfInstant(storedInstant(iso));
  const codes = rows.map((r) => r.data.code).filter((c): c is string => !!c);
  const byCode = new Map((codes.length ? await db.selectFrom('hazards').select(EXISTING).where('code', 'in', codes).execute() : []).map((h) => [h.code, h]));
  const natural = rows.filter((r) => !r.data.code);
  const byKey = new Map<string, Existing>();
  if (natural.length) {
    const found = await db
      .selectFrom('hazards')
      .select(EXISTING)
      .where(keysWithin(tx.dialect, 'hazards', ['enterprise_id', 'description'], 'found_at', natural.map((r) => naturalLookup(r.data.enterpriseId, r.data.description, r.data.foundAt))))
      .execute();
    for (const h of found) byKey.set(naturalKey(h.enterprise_id, h.description, h.found_at), h);
  }

  // Closed hazards fixed on the spot stay so in the tallies when a sheet updates them.
  const closedNums = [...byCode.values(), ...byKey.values()].filter((h) => h.status === 'closed').map((h) => h.num);
  const onSpot = new Set(closedNums.length ? (await db.selectFrom('hazard_events').select('hazard_num').where(eventIs('fix_on_spot')).where('hazard_num', 'in', closedNums).execute()).map((e) => e.hazard_num) : []);
  // Events continue each updated hazard's sequence: the last numbers, all in one statement.
  const updatedNums = [...new Set([...byCode.values(), ...byKey.values()].map((h) => h.num))];
  const lastSeq = new Map<number, number>();
  for (let i = 0; i < updatedNums.length; i += 1000) {
    const rows = await db
      .selectFrom('hazard_events')
      .select(['hazard_num', (eb) => eb.fn.max('seq').as('m')])
      .where('hazard_num', 'in', updatedNums.slice(i, i + 1000))
      .groupBy('hazard_num')
      .execute();
    for (const r of rows) lastSeq.set(r.hazard_num, Number(r.m));
  }

  const nowMs = storedInstant(now);
  const ids: string[] = [];
  const creates: { rowNumber: number; data: HazardImportRow; id: string; code?: string }[] = [];
  const events: DB['hazard_events'][] = [];
  const event = (hazardNum: number, action: string, from: string | null, to: string, data: Record<string, unknown>) => {
    const seq = (lastSeq.get(hazardNum) ?? 0) + 1;
    lastSeq.set(hazardNum, seq);
    events.push({
      hazard_num: hazardNum,
      seq,
      action,
      // Written out (the previous event's status is not read here), except a new hazard's first.
      from_status: storedFrom(from, null, seq),
      to_status: to,
      actor_id: tx.actor.userId,
      actor_name: tx.actor.displayName,
      at: nowMs,
      comment: `由台账文件导入：${job.file_name}（第 ${data.row as number} 行）`,
      data_json: JSON.stringify(data),
    });
  };

  // Each hazard's state as this batch leaves it (two rows of a sheet may reach the same hazard,
  // one by its code and one by enterprise + description + date: the later row wins, as in order).
  const updated = new Map<string, Existing & Pick<DB['hazards'], 'search_tokens' | 'updated_at'>>();
  for (const r of rows) {
    const d = r.data;
    const found = d.code ? byCode.get(d.code) : byKey.get(naturalKey(d.enterpriseId, d.description, d.foundAt));
    if (!found) {
      const id = uuidv7();
      creates.push({ ...r, id, code: d.code ?? undefined });
      ids.push(id);
      continue;
    }
    const existing = updated.get(found.id) ?? found;
    const changes = { status: d.status, deadline: d.deadline, responsible_name: d.responsibleName, closed_at: d.closedAt, grade: d.grade, location: d.location };
    const after = {
      ...existing,
      ...changes,
      closed_at: d.closedAt === null ? null : storedInstant(d.closedAt),
      search_tokens: hazardSearchColumn(tx.dialect, { code: existing.code, description: existing.description, location: d.location, enterpriseName: d.enterpriseName, district_code: existing.district_code }),
      version: existing.version + 1,
      updated_at: nowMs,
    };
    updated.set(existing.id, after);
    const spot = onSpot.has(existing.num);
    tallies.change({ ...existing, on_spot: spot }, { ...after, on_spot: spot && changes.status === 'closed' });
    event(existing.num, 'import_update', existing.status, d.status, {
      file: job.file_name,
      sha256: job.sha256,
      row: r.rowNumber,
      importJob: job.id,
      // As the sheet's row writes them (closed_at: ISO-8601).
      before: Object.fromEntries(Object.keys(changes).map((k) => [k, k === 'closed_at' ? isoInstantOrNull(existing.closed_at) : existing[k as keyof typeof existing]])),
      after: changes,
    });
    ids.push(existing.id);
  }

  // Code numbers: reserve a block per district and year with one atomic upsert (safe against a
  // concurrent report); codes brought in our own format first move the counter past them.
  const need = new Map<string, typeof creates>();
  const floor = new Map<string, number>();
  for (const c of creates) {
    const m = c.code ? OUR_CODE.exec(c.code) : null;
    if (m) floor.set(`${m[1]}|${m[2]}`, Math.max(floor.get(`${m[1]}|${m[2]}`) ?? 0, Number(m[3])));
    if (c.code) continue;
    const key = `${c.data.districtCode}|${day(c.data.foundAt).slice(0, 4)}`;
    const block = need.get(key);
    if (block) block.push(c);
    else need.set(key, [c]);
  }
  const counter = (key: string, seq: number) => ({ district_code: key.split('|')[0], year: Number(key.split('|')[1]), seq });
  if (floor.size) {
    await db
      .insertInto('hazard_code_counters')
      .values([...floor].map(([k, n]) => counter(k, n)))
      .onConflict((oc) =>
        oc.columns(['district_code', 'year']).doUpdateSet((eb) => ({
          seq: sql<number>`case when ${eb.ref('excluded.seq')} > ${eb.ref('hazard_code_counters.seq')} then ${eb.ref('excluded.seq')} else ${eb.ref('hazard_code_counters.seq')} end`,
        })),
      )
      .execute();
  }
  if (need.size) {
    const reserved = await db
      .insertInto('hazard_code_counters')
      .values([...need].map(([k, block]) => counter(k, block.length)))
      .onConflict((oc) => oc.columns(['district_code', 'year']).doUpdateSet((eb) => ({ seq: eb('hazard_code_counters.seq', '+', eb.ref('excluded.seq')) })))
      .returning(['district_code', 'year', 'seq'])
      .execute();
    for (const r of reserved) {
      const block = need.get(`${r.district_code}|${r.year}`)!;
      const start = Number(r.seq) - block.length;
      block.forEach((c, i) => (c.code = `YH-${r.district_code}-${r.year}-${String(start + i + 1).padStart(6, '0')}`));
    }
  }

  // The new hazards' numbers (their events are keyed by them), all at once before any is inserted.
  const nums = await reserveHazardNums(db, tx.dialect, creates.length);

  // Rows are built a chunk at a time while the database writes the chunk before (and the events
  // while it writes the last): on PostgreSQL the building is off the critical path.
  const statements = new StatementQueue();
  if (updated.size) {
    const columns = ['id', ...COMPARED, 'search_tokens', 'version', 'updated_at'] as const;
    const rows = [...updated.values()].map((h) => Object.fromEntries(columns.map((c) => [c, h[c]])));
    await statements.send(() => updateMany(db, tx.dialect, 'hazards', 'id', rows));
  }
  const chunk = bulkChunkRows(tx.dialect);
  for (let i = 0; i < creates.length; i += chunk) {
    const part = creates.slice(i, i + chunk);
    const hazardRows = part.map(({ id, data: d, code }, j) => hazardRow(tx, nowMs, id, nums[i + j], code!, d));
    await statements.send(() => insertHazards(db, tx.dialect, hazardRows, (_, j) => part[j].data.enterpriseName));
    for (const h of hazardRows) tallies.countRow(h, false, 1);
  }
  creates.forEach((c, j) => event(nums[j], 'import', null, c.data.status, { file: job.file_name, sha256: job.sha256, row: c.rowNumber, importJob: job.id }));
  await statements.send(() => insertMany(db, tx.dialect, 'hazard_events', events));
  const clauses = creates.flatMap((c) => c.data.clauseIds.map((clause_id) => ({ hazard_id: c.id, clause_id })));
  await statements.send(() => insertMany(db, tx.dialect, 'hazard_clauses', clauses));
  await statements.done();
  return ids;
}

/**
 * Registers the enterprises rows name that the preview found unregistered (the user ticked so),
 * once each — one already registered meanwhile (an earlier batch, another user) is used as it is
 * — and points the rows at them. Audited with the import as the source.
 */
async function registerNewEnterprises(tx: ActorCtx, job: DB['import_jobs'], rows: { rowNumber: number; data: HazardImportRow }[], now: string) {
  const fresh = rows.filter((r) => r.data.newEnterprise);
  if (!fresh.length) return;
  const usccs = [...new Set(fresh.map((r) => r.data.newEnterprise!.uscc))];
  const cols = ['id', 'uscc', 'name', 'city_code', 'district_code', 'street_code', 'industry_code'] as const;
  const known = new Map((await tx.db.selectFrom('enterprises').select(cols).where('uscc', 'in', usccs).execute()).map((e) => [e.uscc, e]));
  const created: DB['enterprises'][] = [];
  for (const r of fresh) {
    const n = r.data.newEnterprise!;
    if (known.has(n.uscc)) continue;
    const row = enterpriseRow(tx, now, n);
    created.push(row);
    known.set(n.uscc, row);
  }
  await insertMany(tx.db, tx.dialect, 'enterprises', created);
  for (const e of created) {
    await audit(tx, { action: 'enterprise.created', entityType: 'enterprise', entityId: e.id, districtCode: e.district_code, after: { uscc: e.uscc, name: e.name, districtCode: e.district_code, streetCode: e.street_code, industryCode: e.industry_code, from: { importJob: job.id, file: job.file_name, sha256: job.sha256 } } });
  }
  for (const r of fresh) {
    const e = known.get(r.data.newEnterprise!.uscc)!;
    Object.assign(r.data, { enterpriseId: e.id, enterpriseName: e.name, cityCode: e.city_code, districtCode: e.district_code, streetCode: e.street_code, industryCode: e.industry_code });
  }
}

function hazardRow(tx: ActorCtx, nowMs: number, id: string, num: number, code: string, d: HazardImportRow): DB['hazards'] {
  return {
    id,
    num,
    code,
    city_code: d.cityCode,
    district_code: d.districtCode,
    street_code: d.streetCode,
    enterprise_id: d.enterpriseId,
    industry_code: d.industryCode,
    department_id: null,
    description: d.description,
    location: d.location,
    lng: null,
    lat: null,
    category: null,
    grade: d.grade,
    source: d.source,
    found_by_name: tx.actor.displayName,
    found_at: storedInstant(d.foundAt),
    reported_by: tx.actor.userId,
    deadline: d.deadline,
    responsible_name: d.responsibleName,
    responsible_phone: null,
    plan_json: null,
    supervision_level: 'none',
    status: d.status,
    version: 1,
    closed_at: d.closedAt === null ? null : storedInstant(d.closedAt),
    search_tokens: hazardSearchColumn(tx.dialect, { code, description: d.description, location: d.location, enterpriseName: d.enterpriseName, district_code: d.districtCode }),
    created_at: nowMs,
    updated_at: nowMs,
  };
}
