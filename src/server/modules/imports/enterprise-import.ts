/**
 * 企业名录导入: registry rows matched on 统一社会信用代码 — new ones created, known ones updated
 * (or left unchanged), each checked like a hand-made entry: check character, district and street
 * that fit together, a GB/T 4754 division, and a place inside the importer's scope.
 */
import { isValidUscc } from '../../../shared/uscc';
import { RISK_CLASS_LABELS, STANDARDIZATION_LABELS } from '../../../shared/roles';
import type { ActorCtx } from '../../context';
import { insertMany, updateMany } from '../../db/dialect';
import type { DB } from '../../db/schema';
import { canCreateEnterprises, rowInScope } from '../../scope/scope';
import { bumpLedgerVersion } from '../hazards/cache';
import { refreshHazardSearch } from '../hazards/repository';
import { newEnterpriseRow, type NewEnterpriseFields } from '../enterprises/repository';
import { cellText, cleanCode, ENTERPRISE_HEADERS, isBlankRow, parsePhone, parseRiskClass, parseStandardizationLevel, parseText, type EnterpriseColumn, type HeaderMatch } from './normalize';
import { runCommit, runPreview, type CommitOptions, type PreviewSource, type RowError, taker } from './pipeline';
import { allowedOf, type ImportSpec } from './layout';
import { loadPlaceCatalogues } from './catalogues';
import { DISTRICT_SOURCE_LABELS, placeOf } from './places';

/** A registry row as a file gives it: every field of a new enterprise but its coordinates, each present (null when blank). */
export type EnterpriseImportRow = { [K in keyof Omit<NewEnterpriseFields, 'lng' | 'lat'>]-?: NewEnterpriseFields[K] };

const TITLE = Object.fromEntries((Object.keys(ENTERPRISE_HEADERS.fields) as EnterpriseColumn[]).map((k) => [k, ENTERPRISE_HEADERS.fields[k].synonyms[0]])) as Record<EnterpriseColumn, string>;

const FIELDS: [keyof EnterpriseImportRow, keyof DB['enterprises']][] = [
  ['name', 'name'],
  ['address', 'address'],
  ['districtCode', 'district_code'],
  ['streetCode', 'street_code'],
  ['industryCode', 'industry_code'],
  ['principalName', 'principal_name'],
  ['principalPhone', 'principal_phone'],
  ['safetyManagerName', 'safety_manager_name'],
  ['safetyManagerPhone', 'safety_manager_phone'],
  ['riskClass', 'risk_class'],
  ['standardizationLevel', 'standardization_level'],
];

export async function previewEnterpriseImport(ctx: ActorCtx, jobId: string, source: PreviewSource): Promise<void> {
  const { tree, readIndustry, divisions } = await loadPlaceCatalogues(ctx);
  const seen = new Map<string, number>();

    const spec: ImportSpec<EnterpriseColumn> = {
    headers: ENTERPRISE_HEADERS,
    values: {
      industry: divisions,
      riskClass: allowedOf(RISK_CLASS_LABELS),
      standardizationLevel: allowedOf(STANDARDIZATION_LABELS),
    },
    usccField: 'uscc',
  };
  await runPreview(ctx, jobId, source, spec, async (header: HeaderMatch<EnterpriseColumn>, batch) => {
    const col = (cells: unknown[], k: EnterpriseColumn) => (header.columns[k] === undefined ? undefined : cells[header.columns[k]!]);
    const live = batch.filter((r) => !isBlankRow(r.cells));
    const codes = [...new Set(live.map((r) => cleanCode(cellText(col(r.cells, 'uscc')))).filter(Boolean))];
    const existing = new Map<string, DB['enterprises']>();
    for (let i = 0; i < codes.length; i += 500) {
      for (const e of await ctx.db.selectFrom('enterprises').selectAll().where('uscc', 'in', codes.slice(i, i + 500)).execute()) existing.set(e.uscc, e);
    }
    return live.map((r) => {
      const errors: RowError[] = [];
      const raw = Object.fromEntries((Object.keys(header.columns) as EnterpriseColumn[]).map((k) => [TITLE[k], cellText(col(r.cells, k))]));
      const take = taker<EnterpriseColumn>(errors, (k) => TITLE[k]);
      const uscc = cleanCode(cellText(col(r.cells, 'uscc')));
      if (!uscc) errors.push({ column: TITLE.uscc, message: '必填，不能为空' });
      else if (!isValidUscc(uscc)) errors.push({ column: TITLE.uscc, message: '统一社会信用代码无效：应为18位，且校验位正确' });
      const name = take('name', parseText(col(r.cells, 'name'), { required: true, maxLength: 200 }));
      const address = take('address', parseText(col(r.cells, 'address'), { maxLength: 300 }));
      const place = placeOf(tree, ctx.actor, { district: cellText(col(r.cells, 'district')), street: cellText(col(r.cells, 'street')), uscc });
      const districtCode = place.ok ? place.district : null;
      const streetCode = place.ok ? place.street : null;
      if (!place.ok) errors.push({ column: TITLE[place.column], message: place.message });
      const inferred = place.ok && place.source !== 'column' ? [{ column: TITLE.district, source: DISTRICT_SOURCE_LABELS[place.source] }] : [];
      const industryCode = take('industry', readIndustry(cellText(col(r.cells, 'industry')), cellText(col(r.cells, 'industrySection'))));
      if (industryCode === null && !errors.some((e) => e.column === TITLE.industry)) errors.push({ column: TITLE.industry, message: '必填，不能为空' });
      const principalName = take('principalName', parseText(col(r.cells, 'principalName'), { required: true, maxLength: 50 }));
      const data: EnterpriseImportRow = {
        uscc,
        name: name ?? '',
        address: address ?? '',
        districtCode: districtCode ?? '',
        streetCode,
        industryCode: industryCode ?? '',
        principalName: principalName ?? '',
        principalPhone: take('principalPhone', parsePhone(col(r.cells, 'principalPhone'))),
        safetyManagerName: take('safetyManagerName', parseText(col(r.cells, 'safetyManagerName'), { maxLength: 50 })),
        safetyManagerPhone: take('safetyManagerPhone', parsePhone(col(r.cells, 'safetyManagerPhone'))),
        riskClass: take('riskClass', parseRiskClass(col(r.cells, 'riskClass'))),
        standardizationLevel: take('standardizationLevel', parseStandardizationLevel(col(r.cells, 'standardizationLevel'))),
      };
      const found = uscc ? existing.get(uscc) : undefined;
      if (!errors.length && districtCode) {
        // Inferred or stated, a place outside the importer's scope is refused, never written.
        const where = { cityCode: ctx.actor.cityCode, districtCode, streetCode, industryCode, enterpriseId: found?.id ?? null };
        if (!canCreateEnterprises(ctx.actor) || !rowInScope(ctx.actor, where)) errors.push({ column: TITLE.district, message: '不在您的管辖范围内' });
        else if (found && !rowInScope(ctx.actor, { cityCode: found.city_code, districtCode: found.district_code, streetCode: found.street_code, industryCode: found.industry_code, enterpriseId: found.id })) {
          errors.push({ column: TITLE.uscc, message: '该信用代码的企业已登记在您的管辖范围之外' });
        }
      }
      if (uscc && !errors.length) {
        const dup = seen.get(uscc);
        if (dup !== undefined) errors.push({ column: TITLE.uscc, message: `与第 ${dup} 行重复` });
        else seen.set(uscc, r.rowNumber);
      }
      if (errors.length) return { rowNumber: r.rowNumber, action: 'error' as const, targetId: null, data: null, errors, raw };
      if (!found) return { rowNumber: r.rowNumber, action: 'create' as const, targetId: null, data, errors, raw, inferred };
      const changed = FIELDS.some(([k, c]) => data[k] !== null && data[k] !== found[c]);
      return { rowNumber: r.rowNumber, action: changed ? ('update' as const) : ('unchanged' as const), targetId: found.id, data, errors, raw, inferred };
    });
  });
}

/** A new registry row from what a file says of an enterprise; what it does not say takes the defaults. */
export function enterpriseRow(tx: ActorCtx, now: string, d: Pick<EnterpriseImportRow, 'uscc' | 'name' | 'address' | 'districtCode' | 'streetCode' | 'industryCode' | 'principalName'> & Partial<EnterpriseImportRow>): DB['enterprises'] {
  return newEnterpriseRow(tx.actor, now, d);
}

/**
 * Applies one batch with set-based statements: one lookup of the batch's codes, the updates in one
 * statement and the new enterprises in one insert (a statement per row cost a round trip each on
 * PostgreSQL). Blank optional cells leave what is registered; they never erase it.
 */
async function applyBatch(tx: ActorCtx, rows: EnterpriseImportRow[]): Promise<string[]> {
  const now = tx.now().toISOString();
  const usccs = [...new Set(rows.map((d) => d.uscc))];
  const known = new Map<string, DB['enterprises']>();
  for (let i = 0; i < usccs.length; i += 1000) {
    for (const e of await tx.db.selectFrom('enterprises').selectAll().where('uscc', 'in', usccs.slice(i, i + 1000)).execute()) known.set(e.uscc, e);
  }
  const ids: string[] = [];
  const updated = new Map<string, DB['enterprises']>();
  const renamed = new Map<string, string>();
  const creates = new Map<string, DB['enterprises']>();
  for (const d of rows) {
    const found = known.get(d.uscc);
    if (found) {
      const changes: Partial<DB['enterprises']> = {};
      for (const [k, c] of FIELDS) if (d[k] !== null && d[k] !== '' && d[k] !== found[c]) (changes as Record<string, unknown>)[c] = d[k];
      if (Object.keys(changes).length) {
        // (A code twice in one batch — the preview refuses that — changes what this batch creates.)
        const isNew = creates.has(found.id);
        const after = { ...found, ...changes, version: isNew ? 1 : found.version + 1, updated_at: now };
        known.set(d.uscc, after);
        if (isNew) creates.set(found.id, after);
        else updated.set(found.id, after);
        if (changes.name && !isNew) renamed.set(found.id, changes.name);
      }
      ids.push(found.id);
      continue;
    }
    const created = enterpriseRow(tx, now, d);
    known.set(d.uscc, created);
    creates.set(created.id, created);
    ids.push(created.id);
  }
  const columns = ['id', ...FIELDS.map(([, c]) => c), 'version', 'updated_at'] as const;
  await updateMany(tx.db, tx.dialect, 'enterprises', 'id', [...updated.values()].map((e) => Object.fromEntries(columns.map((c) => [c, e[c]]))));
  await insertMany(tx.db, tx.dialect, 'enterprises', [...creates.values()]);
  for (const [id, name] of renamed) await refreshHazardSearch(tx.db, tx.dialect, id, name);
  return ids;
}

export async function commitEnterpriseImport(ctx: ActorCtx, jobId: string, opts: CommitOptions = {}) {
  // Enterprise names show in the ledger, so the ledger's cached answers are refreshed too.
  return runCommit(
    ctx,
    jobId,
    (tx) => ({
      apply: (rows) => applyBatch(tx, rows.map((r) => r.data as EnterpriseImportRow)),
      finish: () => bumpLedgerVersion(tx.db, tx.actor.cityCode),
    }),
    opts,
  );
}
