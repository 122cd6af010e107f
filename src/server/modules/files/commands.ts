import path from 'node:path';
import { sql, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { audit, transact, type ActorCtx } from '../../context';
import type { DB } from '../../db/schema';
import { AppError, fieldError, notFound } from '../../errors/app-error';
import { accountabilityScopeWhere, assessesDistricts, enforcementScopeWhere, readsPublishedRuns, fiveLeadScopeWhere, hazardScopeWhere, planRecordWhere, planTaskWhere, scopeWhere, type Actor } from '../../scope/scope';
import { sniffMime } from './sniff';
import { FileStore } from './storage';

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export const fileStore = (ctx: { config: { DATA_DIR: string } }) => new FileStore(path.join(ctx.config.DATA_DIR, 'files'));

export async function storeUpload(ctx: ActorCtx, content: Buffer, originalName: string | null) {
  const mime = sniffMime(content);
  if (!mime) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', '只接受图片（JPEG、PNG、WebP）、PDF、Word（.docx）和 Excel（.xlsx）文件', 'Only JPEG, PNG, WebP, PDF, DOCX and XLSX files are accepted');
  }
  const sha256 = fileStore(ctx).put(content);
  return transact(ctx, async (tx) => {
    const row = {
      id: uuidv7(),
      sha256,
      mime,
      size: content.length,
      original_name: originalName,
      uploaded_by: ctx.actor.userId,
      city_code: ctx.actor.cityCode,
      created_at: ctx.now().toISOString(),
    };
    await tx.db.insertInto('files').values(row).execute();
    const out = { id: row.id, sha256, mime, size: row.size };
    await audit(tx, { action: 'file.uploaded', entityType: 'file', entityId: row.id, after: { ...out, name: row.original_name } });
    return out;
  });
}

/** The records whose steps' files are read by whoever sees the record (record_event_files), by table and entity type. */
const STEP_RECORDS = { cases: 'case', inspections: 'inspection', accidents: 'accident' } as const;

function stepFilesSeenBy(eb: ExpressionBuilder<DB, 'files'>, actor: Actor, table: keyof typeof STEP_RECORDS) {
  const cols = { city: `${table}.city_code`, district: `${table}.district_code`, street: `${table}.street_code`, industry: `${table}.industry_code`, enterpriseId: `${table}.enterprise_id` };
  return eb.exists(
    (eb as unknown as ExpressionBuilder<DB, 'record_event_files'>)
      .selectFrom('record_event_files as rf')
      .innerJoin(table as 'cases', `${table}.id` as 'cases.id', 'rf.entity_id')
      .select('rf.file_id')
      .where(sql<SqlBool>`rf.file_id = files.id`)
      .where('rf.entity_type', '=', STEP_RECORDS[table])
      .where(enforcementScopeWhere<DB, 'cases'>(actor, cols) as never),
  );
}

/** What the plan's records attached (a report's evidence, a sub-plan, a list's document, minutes, a 五带头 record's evidence), for whoever sees the record. */
function planFilesSeenBy(eb: ExpressionBuilder<DB, 'files'>, actor: Actor) {
  const rf = (type: string) =>
    (eb as unknown as ExpressionBuilder<DB, 'record_event_files'>).selectFrom('record_event_files as rf').select('rf.file_id').where(sql<SqlBool>`rf.file_id = files.id`).where('rf.entity_type', '=', type);
  const unitRecord = (type: string, table: 'plan_subplans' | 'duty_lists' | 'meetings') =>
    eb.exists(rf(type).innerJoin(`${table} as r` as 'meetings as r', 'r.id', 'rf.entity_id').where(planRecordWhere<DB, 'meetings'>(actor, { city: 'r.city_code', unitKey: 'r.unit_key' }) as never));
  return [
    eb.exists(rf('plan_task').innerJoin('plan_tasks as pt', 'pt.id', 'rf.entity_id').where(planTaskWhere<DB, 'plan_tasks'>(actor, 'pt') as never)),
    unitRecord('plan_subplan', 'plan_subplans'),
    unitRecord('duty_list', 'duty_lists'),
    unitRecord('meeting', 'meetings'),
    eb.exists(
      rf('five_lead')
        .innerJoin('five_lead_records as fl', 'fl.id', 'rf.entity_id')
        .where(fiveLeadScopeWhere<DB, 'five_lead_records'>(actor, { city: 'fl.city_code', district: 'fl.district_code', street: 'fl.street_code', industry: 'fl.industry_code', enterpriseId: 'fl.enterprise_id' }) as never),
    ),
  ];
}

/** The evidence of an accountability follow-up, for whoever sees the record; of a value entered in a run, for whoever reads the run. */
function assessmentFilesSeenBy(eb: ExpressionBuilder<DB, 'files'>, actor: Actor) {
  const rf = (type: string) =>
    (eb as unknown as ExpressionBuilder<DB, 'record_event_files'>).selectFrom('record_event_files as rf').select('rf.file_id').where(sql<SqlBool>`rf.file_id = files.id`).where('rf.entity_type', '=', type);
  const runs = assessesDistricts(actor) ? [sql<SqlBool>`true`] : readsPublishedRuns(actor) ? [sql<SqlBool>`ar.published_at is not null`] : null;
  return [
    eb.exists(rf('accountability').innerJoin('accountability_records as ac', 'ac.id', 'rf.entity_id').where(accountabilityScopeWhere<DB, 'accountability_records'>(actor, 'ac') as never)),
    ...(runs ? [eb.exists(rf('assessment_run').innerJoin('assessment_runs as ar', 'ar.id', 'rf.entity_id').where('ar.city_code', '=', actor.cityCode).where(runs[0]))] : []),
  ];
}

/** A district's risk assessment report in a round: the city's offices and departments, and that district's people (as the round's completion shows them). */
function riskRoundFilesSeenBy(eb: ExpressionBuilder<DB, 'files'>, actor: Actor) {
  const offices = !['enterprise', 'expert', 'tip_custodian'].includes(actor.role);
  if (!offices) return sql<SqlBool>`1 = 0`;
  const sub = (eb as unknown as ExpressionBuilder<DB, 'risk_round_submissions'>).selectFrom('risk_round_submissions as rs').innerJoin('risk_rounds as rr', 'rr.id', 'rs.round_id').select('rs.report_file_id').where(sql<SqlBool>`rs.report_file_id = files.id`).where('rr.city_code', '=', actor.cityCode);
  return eb.exists(actor.districtCode ? sub.where('rs.district_code', '=', actor.districtCode) : sub);
}

/** A file is readable by its uploader, or by anyone who can see a hazard, a case or inspection step, or an agency engagement it is attached to. */
export async function readableFile(db: Kysely<DB>, actor: Actor, id: string) {
  const file = await db
    .selectFrom('files')
    .selectAll()
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('uploaded_by', '=', actor.userId),
        eb.exists(
          eb
            .selectFrom('hazard_event_files as hf')
            .innerJoin('hazards', 'hazards.num', 'hf.hazard_num')
            .select('hf.file_id')
            .where(sql<SqlBool>`hf.file_id = files.id`)
            .where(hazardScopeWhere<DB, 'hazards'>(actor) as never),
        ),
        // What a case's, an inspection's or an accident's step attached (an investigation report), for whoever sees the record.
        ...(['cases', 'inspections', 'accidents'] as const).map((table) => stepFilesSeenBy(eb, actor, table)),
        ...planFilesSeenBy(eb, actor),
        ...assessmentFilesSeenBy(eb, actor),
        riskRoundFilesSeenBy(eb, actor),
        // An engagement's contract and the agency's report, for whoever sees the engagement.
        eb.exists(
          eb
            .selectFrom('agency_engagement_files as af')
            .innerJoin('agency_engagements as e', 'e.id', 'af.engagement_id')
            .select('af.file_id')
            .where(sql<SqlBool>`af.file_id = files.id`)
            .where(scopeWhere<DB, 'agency_engagements'>(actor, { city: 'e.city_code', district: 'e.district_code', street: 'e.street_code', industry: 'e.industry_code', enterpriseId: 'e.enterprise_id' }) as never),
        ),
      ]),
    )
    .executeTakeFirst();
  if (!file) throw notFound('文件', 'file');
  return file;
}

/** Checks attachments named in an action: they exist and the actor uploaded them. */
export async function checkAttachments(db: Kysely<DB>, actor: Actor, ids: string[], opts: { required: boolean }) {
  const unique = [...new Set(ids)];
  if (opts.required && unique.length === 0) {
    throw fieldError('VALIDATION_FAILED', 'attachmentIds', '请至少上传一份佐证材料（照片或文件）', 'At least one evidence attachment is required');
  }
  if (!unique.length) return [];
  const rows = await db.selectFrom('files').select('id').where('id', 'in', unique).where('uploaded_by', '=', actor.userId).execute();
  if (rows.length !== unique.length) {
    throw fieldError('VALIDATION_FAILED', 'attachmentIds', '附件不存在或不是本人上传的', 'Unknown attachment, or not uploaded by you');
  }
  return unique;
}
