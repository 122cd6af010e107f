/** Table types for Kysely. Columns stay snake_case; repositories map them to camelCase. */
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { RewardStatus, TipCategory, TipChannel, TipStatus } from '../../shared/contracts/tips';

export interface RegionsTable {
  code: string;
  name: string;
  level: 'city' | 'district' | 'street';
  parent_code: string | null;
  kind: string | null;
  city_code: string;
  sort: number;
}

export interface IndustriesTable {
  code: string;
  name: string;
  level: 'section' | 'division';
  parent_code: string | null;
  sort: number;
}

export interface StandardsTable {
  id: string;
  title: string;
  doc_no: string | null;
  issuer: string | null;
  published: string | null;
  effective: string | null;
  scope: string | null;
  source: string | null;
  confidence: string | null;
  status: string | null;
  item_count: number | null;
  clauses_complete: number;
  clauses_missing: string | null;
  meta: string | null;
  sort: number;
  created_at: string;
  updated_at: string;
}

export interface StandardClausesTable {
  id: string;
  standard_id: string;
  no: string;
  category: string | null;
  text: string;
  source: string | null;
  is_lead_in: number;
  sort: number;
  meta: string | null;
  created_at: string;
  updated_at: string;
  updated_by: string | null;
}

export interface DepartmentsTable {
  id: string;
  city_code: string;
  region_code: string;
  district_code: string | null;
  name: string;
  created_at: string;
  updated_at: string;
}

export interface DepartmentIndustriesTable {
  department_id: string;
  industry_code: string;
}

export interface EnterprisesTable {
  id: string;
  city_code: string;
  district_code: string;
  street_code: string | null;
  uscc: string;
  name: string;
  address: string;
  industry_code: string;
  principal_name: string;
  principal_phone: string | null;
  safety_manager_name: string | null;
  safety_manager_phone: string | null;
  risk_class: 'major' | 'high' | 'general' | 'low';
  standardization_level: 'level1' | 'level2' | 'level3' | 'none';
  lng: number | null;
  lat: number | null;
  version: number;
  created_at: string;
  updated_at: string;
  created_by: string | null;
}

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  role: string;
  region_code: string;
  city_code: string;
  district_code: string | null;
  street_code: string | null;
  department_id: string | null;
  enterprise_id: string | null;
  password_hash: string;
  status: 'active' | 'disabled';
  must_change_password: number;
  failed_logins: number;
  locked_until: string | null;
  last_login_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: string;
  created_by: string | null;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AuditLogTable {
  id: string;
  chain: string;
  seq: number;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  district_code: string | null;
  before_json: string | null;
  after_json: string | null;
  request_id: string | null;
  ip: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadsTable {
  chain: string;
  seq: number;
  hash: string;
}

export interface DB {
  regions: RegionsTable;
  industries: IndustriesTable;
  standards: StandardsTable;
  standard_clauses: StandardClausesTable;
  departments: DepartmentsTable;
  department_industries: DepartmentIndustriesTable;
  enterprises: EnterprisesTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  audit_heads: AuditHeadsTable;
  import_jobs: ImportJobsTable;
  import_rows: ImportRowsTable;
  import_mappings: ImportMappingsTable;
  job_runs: JobRunsTable;
  instances: InstancesTable;
  checklists: ChecklistsTable;
  checklist_items: ChecklistItemsTable;
  selfcheck_schedules: SelfcheckSchedulesTable;
  selfcheck_schedule_targets: SelfcheckScheduleTargetsTable;
  selfcheck_rounds: SelfcheckRoundsTable;
  selfcheck_results: SelfcheckResultsTable;
  selfcheck_round_events: SelfcheckRoundEventsTable;
  selfcheck_tallies: SelfcheckTalliesTable;
  selfcheck_enterprises: SelfcheckEnterprisesTable;
  hazard_origins: HazardOriginsTable;
  record_events: RecordEventsTable;
  record_code_counters: RecordCodeCountersTable;
  enforcement_matrices: EnforcementMatricesTable;
  key_units: KeyUnitsTable;
  inspection_plans: InspectionPlansTable;
  inspection_plan_items: InspectionPlanItemsTable;
  draws: DrawsTable;
  inspections: InspectionsTable;
  inspection_inspectors: InspectionInspectorsTable;
  inspection_results: InspectionResultsTable;
  inspector_conflicts: InspectorConflictsTable;
  legal_provisions: LegalProvisionsTable;
  cases: CasesTable;
  enforcement_tallies: EnforcementTalliesTable;
  expert_profiles: ExpertProfilesTable;
  expert_programmes: ExpertProgrammesTable;
  expert_targets: ExpertTargetsTable;
  expert_visits: ExpertVisitsTable;
  expert_visit_experts: ExpertVisitExpertsTable;
  agencies: AgenciesTable;
  agency_qualifications: AgencyQualificationsTable;
  agency_staff: AgencyStaffTable;
  agency_listings: AgencyListingsTable;
  agency_records: AgencyRecordsTable;
  agency_engagements: AgencyEngagementsTable;
  agency_engagement_files: AgencyEngagementFilesTable;
  tips: TipsTable;
  tip_sealed: TipSealedTable;
  tip_uploads: TipUploadsTable;
  tip_tallies: TipTalliesTable;
  record_event_files: RecordEventFilesTable;
  plans: PlansTable;
  plan_nodes: PlanNodesTable;
  plan_subplans: PlanSubplansTable;
  plan_tasks: PlanTasksTable;
  plan_task_units: PlanTaskUnitsTable;
  plan_milestones: PlanMilestonesTable;
  plan_reports: PlanReportsTable;
  plan_readings: PlanReadingsTable;
  duty_lists: DutyListsTable;
  duty_items: DutyItemsTable;
  meetings: MeetingsTable;
  five_lead_records: FiveLeadRecordsTable;
  accidents: AccidentsTable;
  assessment_schemes: AssessmentSchemesTable;
  assessment_runs: AssessmentRunsTable;
  assessment_reviews: AssessmentReviewsTable;
  accountability_records: AccountabilityRecordsTable;
  risk_items: RiskItemsTable;
  risk_item_enterprises: { risk_id: string; enterprise_id: string };
  risk_hazards: { risk_id: string; hazard_id: string; linked_by: string | null; linked_at: string };
  risk_rounds: RiskRoundsTable;
  risk_round_submissions: RiskRoundSubmissionsTable;
  enterprise_operations: { enterprise_id: string; operation: string; declared_by: string | null; declared_at: string };
  certificates: CertificatesTable;
  certificate_lapses: CertificateLapsesTable;
  standardizations: StandardizationsTable;
  benchmark_enterprises: BenchmarkEnterprisesTable;
  enterprise_kinds: { enterprise_id: string; kind: string; tagged_by: string | null; tagged_at: string };
  courses: CoursesTable;
  course_attendance: CourseAttendanceTable;
  campaigns: CampaignsTable;
  campaign_targets: CampaignTargetsTable;
  consultations: ConsultationsTable;
  ledger_versions: LedgerVersionsTable;
  dictionary_entries: DictionaryEntriesTable;
  files: FilesTable;
  hazard_code_counters: HazardCodeCountersTable;
  hazards: HazardsTable;
  hazard_clauses: HazardClausesTable;
  hazard_access: HazardAccessTable;
  hazard_events: HazardEventsTable;
  hazard_event_files: HazardEventFilesTable;
  notifications: NotificationsTable;
  hazard_tallies: HazardTalliesTable;
  enterprise_open_tallies: EnterpriseOpenTalliesTable;
  tally_state: TallyStateTable;
  export_jobs: ExportJobsTable;
  rule_versions: RuleVersionsTable;
  standard_industries: StandardIndustriesTable;
}

export type EnterpriseRow = Selectable<EnterprisesTable>;
export type NewEnterpriseRow = Insertable<EnterprisesTable>;
export type EnterpriseUpdate = Updateable<EnterprisesTable>;
export type UserRow = Selectable<UsersTable>;

export interface FilesTable {
  id: string;
  sha256: string;
  mime: string;
  size: number;
  original_name: string | null;
  uploaded_by: string;
  city_code: string;
  created_at: string;
}

export interface HazardCodeCountersTable {
  district_code: string;
  year: number;
  seq: number;
}

export interface HazardsTable {
  id: string;
  /** The hazard's number: unique, given by the writer (`db/hazard-numbers.ts`); its events are keyed by it (migration 35); SQLite's rowid (migration 37). */
  num: number;
  code: string;
  city_code: string;
  district_code: string;
  street_code: string | null;
  enterprise_id: string;
  industry_code: string;
  department_id: string | null;
  description: string;
  location: string;
  lng: number | null;
  lat: number | null;
  category: string | null;
  grade: 'general' | 'major';
  source: string;
  found_by_name: string;
  /** Milliseconds since the Unix epoch (`db/instants.ts`; migration 37), as `closed_at`, `created_at`, `updated_at`. */
  found_at: number;
  reported_by: string | null;
  deadline: string | null;
  responsible_name: string | null;
  responsible_phone: string | null;
  plan_json: string | null;
  supervision_level: 'none' | 'district' | 'city';
  status: 'reported' | 'rectifying' | 'pending_acceptance' | 'closed' | 'voided';
  version: number;
  closed_at: number | null;
  search_tokens: string;
  created_at: number;
  updated_at: number;
  /** Who submitted the rectification awaiting acceptance (none may accept their own). */
  submitted_by?: string | null;
  /** Who recorded the first of two acceptances, when the rule asks for two. */
  first_accepted_by?: string | null;
}

export interface HazardClausesTable {
  hazard_id: string;
  clause_id: string;
}

export interface HazardAccessTable {
  hazard_id: string;
  grantee_type: 'district' | 'department';
  grantee_id: string;
  granted_at: string;
}

/** Keyed by (hazard number, seq): an event has no id of its own (migrations 30, 35). */
export interface HazardEventsTable {
  hazard_num: number;
  seq: number;
  action: string;
  from_status: string | null;
  to_status: string;
  actor_id: string | null;
  actor_name: string;
  /** Milliseconds since the Unix epoch (`db/instants.ts`; migration 36). */
  at: number;
  comment: string | null;
  data_json: string | null;
}

export interface HazardEventFilesTable {
  hazard_num: number;
  seq: number;
  file_id: string;
}

export interface NotificationsTable {
  id: string;
  user_id: string;
  kind: string;
  hazard_id: string | null;
  dedupe_key: string;
  title: string;
  body: string | null;
  created_at: string;
  read_at: string | null;
  /** 1: the reader is asked to act (accept, rectify); 0: for information. */
  needs_action?: number;
  /** Where the notification leads in the web app (a hazard, a filtered ledger). */
  link?: string | null;
}

export interface StandardIndustriesTable {
  standard_id: string;
  /** A GB/T 4754 section letter or two-digit division, or '*' for every industry. */
  industry_code: string;
}

export interface RuleVersionsTable {
  id: string;
  city_code: string;
  rule_key: string;
  effective_from: string;
  value_json: string;
  source_note: string;
  set_by: string | null;
  created_at: string;
}

export interface DictionaryEntriesTable {
  kind: string;
  code: string;
  label: string;
  sort: number;
  active: number;
}

export interface LedgerVersionsTable {
  city_code: string;
  version: number;
}

export interface ImportJobsTable {
  id: string;
  city_code: string;
  user_id: string;
  kind: 'hazards' | 'enterprises';
  file_name: string;
  sha256: string;
  status: 'previewing' | 'previewed' | 'committing' | 'committed' | 'failed';
  rows_read: number;
  rows_written: number;
  applied_through: number;
  counts_json: string | null;
  message: string | null;
  /** How the file was read: ImportLayout (shared/contracts/imports.ts). */
  layout_json: string | null;
  /** The mapping the user chose in the preview: ImportMapping. */
  mapping_json: string | null;
  /** The process that last previewed or committed it (instances.id): while it previews or commits, a job whose holder is gone was interrupted. */
  holder: string | null;
  created_at: string;
  updated_at: string;
}

/** 检查表: a self-check checklist, owned by an organisation; `version` is its current one. */
export interface ChecklistsTable {
  id: string;
  city_code: string;
  owner_level: 'city' | 'district' | 'street' | 'department' | 'enterprise';
  /** The region code (city, district, street), the department id or the enterprise id. */
  owner_id: string;
  title: string;
  /** JSON array of GB/T 4754 section letters or divisions; empty: every industry. */
  industry_codes: string;
  /** JSON array of enterprise kinds (free labels) it applies to; empty: every kind. */
  enterprise_kinds: string;
  standard_id: string | null;
  version: number;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** An item of one version of a checklist. */
export interface ChecklistItemsTable {
  id: string;
  checklist_id: string;
  version: number;
  seq: number;
  text: string;
  category: string | null;
  clause_id: string | null;
}

/** 自查计划: a checklist assigned to enterprises with a frequency. */
export interface SelfcheckSchedulesTable {
  id: string;
  city_code: string;
  checklist_id: string;
  owner_level: string;
  owner_id: string;
  frequency: 'shift' | 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'half_yearly';
  start_date: string;
  filter_json: string | null;
  created_by: string;
  created_at: string;
}

export interface SelfcheckScheduleTargetsTable {
  schedule_id: string;
  enterprise_id: string;
}

/** 自查记录: one enterprise's self-check for one period; due/overdue are derived from due_date (Shanghai). */
export interface SelfcheckRoundsTable {
  id: string;
  city_code: string;
  district_code: string;
  street_code: string | null;
  industry_code: string;
  enterprise_id: string;
  schedule_id: string | null;
  checklist_id: string;
  checklist_version: number;
  period: string;
  period_start: string;
  due_date: string;
  submitted_at: string | null;
  version: number;
  created_at: string;
  submitted_by: string | null;
  signed_by_name: string | null;
  signed_by_role: string | null;
  /** Hazards found; null until submitted. */
  findings: number | null;
}

/** Each item's result in a submitted round. */
export interface SelfcheckResultsTable {
  round_id: string;
  item_id: string;
  result: 'ok' | 'na' | 'hazard';
  note: string | null;
  hazard_id: string | null;
}

/** What happened to a round: its submission, then annotations (it is never changed). */
export interface SelfcheckRoundEventsTable {
  id: string;
  round_id: string;
  seq: number;
  action: string;
  actor_id: string | null;
  actor_name: string;
  at: string;
  comment: string | null;
  data_json: string | null;
}

/** Self-check figures per place, industry and due month (month '' holds enterprises with a schedule). */
export interface SelfcheckTalliesTable {
  /** The roll-up: per street and industry (SI), per street (S), per industry (I), per district (D); a rolled-up dimension holds '*'. */
  level: 'SI' | 'S' | 'I' | 'D';
  city_code: string;
  district_code: string;
  street_code: string;
  industry_code: string;
  month: string;
  enterprises: number;
  rounds: number;
  on_time: number;
  late: number;
  with_findings: number;
  hazards: number;
}

export interface SelfcheckEnterprisesTable {
  enterprise_id: string;
  city_code: string;
  district_code: string;
  street_code: string;
  industry_code: string;
  first_scheduled_at: string;
}

/** Where a hazard was found: a self-check round and item, later an inspection, visit or tip. */
export interface HazardOriginsTable {
  hazard_id: string;
  origin_type: string;
  origin_id: string;
  origin_item_id: string | null;
  created_at: string;
}

/** A server (or CLI) process sharing the database, alive while its heartbeat moves. */
export interface InstancesTable {
  id: string;
  host: string;
  pid: number;
  started_at: string;
  heartbeat_at: string;
}

export interface JobRunsTable {
  name: string;
  period: string;
  holder: string;
  started_at: string;
  finished_at: string | null;
}

export interface ImportMappingsTable {
  id: string;
  city_code: string;
  owner_key: string;
  kind: 'hazards' | 'enterprises';
  signature: string;
  name: string;
  mapping_json: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface ImportRowsTable {
  job_id: string;
  row_number: number;
  action: 'create' | 'update' | 'unchanged' | 'error';
  target_id: string | null;
  data_json: string | null;
  errors_json: string | null;
  raw_json: string;
}


/** One pre-aggregated count: see `modules/dashboard/tallies.ts` for groupings and measures. */
/** `hazard_tallies.district_code` of a city-wide copy (kept beside each district's rows for some groupings). */
export const TALLY_CITY_WIDE = '*';

export interface HazardTalliesTable {
  grouping: string;
  measure: string;
  city_code: string;
  district_code: string;
  period: string;
  street_code: string;
  industry_code: string;
  grade: string;
  source: string;
  supervision: string;
  extra: string;
  n: number;
}

export interface EnterpriseOpenTalliesTable {
  enterprise_id: string;
  district_code: string;
  street_code: string;
  city_code: string;
  industry_code: string;
  open: number;
  open_major: number;
}

export interface TallyStateTable {
  id: number;
  built_at: string;
}

export interface ExportJobsTable {
  id: string;
  city_code: string;
  user_id: string;
  kind: 'hazards' | 'enterprises';
  filters_json: string;
  status: 'running' | 'done' | 'failed';
  rows_total: number;
  rows_written: number;
  file_name: string;
  size: number | null;
  message: string | null;
  /** The process writing the file (instances.id). */
  holder: string | null;
  created_at: string;
  updated_at: string;
  expires_at: string;
}

/** The timeline of a record of any module (inspection, case, draw, …): one shape, written in the record's transaction. */
export interface RecordEventsTable {
  id: string;
  entity_type: string;
  entity_id: string;
  seq: number;
  action: string;
  actor_id: string | null;
  actor_name: string;
  at: string;
  comment: string | null;
  data_json: string | null;
  file_ids_json: string | null;
}

export interface RecordCodeCountersTable {
  kind: string;
  district_code: string;
  year: number;
  seq: number;
}

export interface EnforcementMatricesTable {
  id: string;
  city_code: string;
  scope_level: 'city' | 'district' | 'department';
  scope_id: string;
  year: number;
  revision: number;
  cells_json: string;
  source_note: string;
  set_by: string | null;
  created_at: string;
}

export interface KeyUnitsTable {
  district_code: string;
  year: number;
  enterprise_id: string;
  city_code: string;
  added_by: string | null;
  added_at: string;
}

export interface InspectionPlansTable {
  id: string;
  city_code: string;
  district_code: string;
  department_id: string | null;
  owner_key: string;
  year: number;
  matrix_json: string;
  created_by: string | null;
  created_by_name: string;
  created_at: string;
}

export interface InspectionPlanItemsTable {
  plan_id: string;
  enterprise_id: string;
  planned: number;
  months_json: string;
  key_unit: number;
  done: number;
}

export interface DrawsTable {
  id: string;
  city_code: string;
  district_code: string | null;
  department_id: string | null;
  title: string;
  filter_json: string;
  count: number;
  per_inspection: number;
  date: string;
  seed: string;
  algorithm: string;
  pool_json: string;
  pool_size: number;
  pool_hash: string;
  candidates_json: string;
  excluded_json: string;
  result_json: string;
  published: number;
  created_by: string | null;
  created_by_name: string;
  created_at: string;
}

export interface InspectionsTable {
  id: string;
  code: string;
  city_code: string;
  district_code: string;
  street_code: string | null;
  industry_code: string;
  enterprise_id: string;
  type: 'planned' | 'random' | 'tip' | 'accident' | 'complaint' | 'campaign' | 'follow_up';
  status: 'planned' | 'in_progress' | 'finished';
  unannounced: number;
  date: string;
  checklist_id: string | null;
  checklist_version: number | null;
  draw_id: string | null;
  follows_id: string | null;
  note: string | null;
  signed_by: string | null;
  refused: number;
  sign_note: string | null;
  findings: number;
  major_findings: number;
  started_at: string | null;
  finished_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}
export type InspectionRow = Selectable<InspectionsTable>;

export interface InspectionInspectorsTable {
  inspection_id: string;
  user_id: string;
  seq: number;
}

export interface InspectionResultsTable {
  inspection_id: string;
  item_id: string;
  result: 'ok' | 'na' | 'hazard';
  note: string | null;
}

export interface InspectorConflictsTable {
  id: string;
  city_code: string;
  user_id: string;
  enterprise_id: string;
  reason: string;
  declared_by: string | null;
  declared_at: string;
}

export interface LegalProvisionsTable {
  id: string;
  city_code: string;
  law: string;
  article: string;
  title: string;
  note: string | null;
  active: number;
  created_at: string;
}

export interface CasesTable {
  id: string;
  code: string;
  city_code: string;
  district_code: string;
  street_code: string | null;
  industry_code: string;
  enterprise_id: string;
  inspection_id: string;
  status: 'filed' | 'decided' | 'executed' | 'closed';
  violation: string;
  provision_ids_json: string;
  hazard_ids_json: string;
  decision: 'warning' | 'fine' | 'suspend' | 'other' | null;
  circumstance: string | null;
  discretion_json: string | null;
  fine_fen: number | null;
  paid_fen: number;
  decided_on: string | null;
  paid_on: string | null;
  closed_on: string | null;
  document_no: string | null;
  appeal_status: string;
  filed_on: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}
export type CaseRow = Selectable<CasesTable>;

export interface EnforcementTalliesTable {
  city_code: string;
  district_code: string;
  quarter: string;
  inspections: number;
  planned: number;
  triggered: number;
  unannounced: number;
  hazards: number;
  major_hazards: number;
  findings_closed: number;
  findings_voided: number;
  cases: number;
  decisions: number;
  fines: number;
  fine_fen: number;
}

/** 啄木鸟 (#16): an expert's appointment beside their account. */
export interface ExpertProfilesTable {
  user_id: string;
  city_code: string;
  district_code: string | null;
  department_id: string | null;
  appointed_by: string;
  appointed_from: string;
  appointed_to: string;
  industries_json: string;
  categories_json: string;
  title: string | null;
  status: 'active' | 'suspended';
  suspended_reason: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}
export type ExpertProfileRow = Selectable<ExpertProfilesTable>;

export interface ExpertProgrammesTable {
  id: string;
  city_code: string;
  district_code: string;
  department_id: string | null;
  title: string;
  period_from: string;
  period_to: string;
  targets: number;
  scheduled: number;
  covered: number;
  created_by: string | null;
  created_at: string;
}
export type ExpertProgrammeRow = Selectable<ExpertProgrammesTable>;

export interface ExpertTargetsTable {
  programme_id: string;
  enterprise_id: string;
  district_code: string;
  street_code: string | null;
  industry_code: string;
  state: 'not_yet' | 'scheduled' | 'covered';
  covered_on: string | null;
}

export interface ExpertVisitsTable {
  id: string;
  code: string;
  city_code: string;
  district_code: string;
  street_code: string | null;
  industry_code: string;
  enterprise_id: string;
  programme_id: string;
  window_from: string;
  window_to: string;
  status: 'assigned' | 'in_progress' | 'submitted' | 'cancelled';
  checklist_id: string | null;
  checklist_version: number | null;
  findings: number;
  major_findings: number;
  advice: string | null;
  started_at: string | null;
  submitted_at: string | null;
  feedback_rating: number | null;
  feedback_note: string | null;
  version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}
export type ExpertVisitRow = Selectable<ExpertVisitsTable>;

export interface ExpertVisitExpertsTable {
  visit_id: string;
  user_id: string;
  seq: number;
}

export interface AgenciesTable {
  id: string;
  city_code: string;
  district_code: string | null;
  department_id: string | null;
  name: string;
  uscc: string;
  service_types_json: string;
  approved_by: string;
  supervised_by: string | null;
  address: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  engagements: number;
  findings: number;
  major_findings: number;
  /** Untrustworthy listings in force (一家机构可被多个区列入). */
  listed: number;
  version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}
export type AgencyRow = Selectable<AgenciesTable>;

export interface AgencyQualificationsTable {
  id: string;
  agency_id: string;
  seq: number;
  name: string;
  issuer: string;
  number: string;
  valid_from: string | null;
  expires_on: string;
}

export interface AgencyStaffTable {
  id: string;
  agency_id: string;
  seq: number;
  name: string;
  certificate: string;
  certificate_no: string;
  certificate_expires_on: string | null;
}

export interface AgencyListingsTable {
  id: string;
  agency_id: string;
  city_code: string;
  district_code: string | null;
  department_id: string | null;
  reason: string;
  listed_by: string | null;
  listed_at: string;
  lifted_by: string | null;
  lifted_at: string | null;
  lift_reason: string | null;
}

export interface AgencyRecordsTable {
  id: string;
  agency_id: string;
  kind: 'complaint' | 'penalty';
  occurred_on: string;
  summary: string;
  district_code: string | null;
  enterprise_id: string | null;
  recorded_by: string | null;
  recorded_at: string;
}

export interface AgencyEngagementsTable {
  id: string;
  code: string;
  city_code: string;
  district_code: string;
  street_code: string | null;
  industry_code: string;
  enterprise_id: string;
  agency_id: string;
  service_type: string;
  period_from: string;
  period_to: string;
  status: 'in_service' | 'concluded';
  concluded_on: string | null;
  conclusion: string | null;
  findings: number;
  major_findings: number;
  warnings_json: string | null;
  version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}
export type AgencyEngagementRow = Selectable<AgencyEngagementsTable>;

export interface AgencyEngagementFilesTable {
  engagement_id: string;
  file_id: string;
  kind: 'contract' | 'deliverable';
  added_at: string;
}

export interface TipsTable {
  id: string;
  code: string;
  receipt: string;
  secret_hash: string;
  city_code: string;
  district_code: string;
  street_code: string | null;
  industry_code: string | null;
  department_id: string | null;
  enterprise_id: string | null;
  enterprise_name: string | null;
  place: string | null;
  channel: TipChannel;
  category: TipCategory;
  description: string;
  anonymous: number;
  has_identity: number;
  status: TipStatus;
  received_at: string;
  accept_by: string;
  accepted_at: string | null;
  declined_at: string | null;
  decline_reason: string | null;
  /** Accepted or declined by its last day (1), or late (0); null while waiting. */
  answered_on_time: number | null;
  verify_by: string | null;
  extension: 'none' | 'requested' | 'approved';
  /** Who asked for the extension (someone else approves it). */
  extension_by: string | null;
  verified_at: string | null;
  verified_on_time: number | null;
  substantiated: number | null;
  verification: string | null;
  feedback_by: string | null;
  feedback: string | null;
  fed_back_at: string | null;
  duplicate_of: string | null;
  suspected_duplicate_of: string | null;
  hazards: number;
  major_hazards: number;
  reward_status: RewardStatus;
  reward_yuan: number | null;
  reward_steps_json: string | null;
  reward_rule_from: string | null;
  reward_proposed_by: string | null;
  reward_approved_by: string | null;
  reward_paid_on: string | null;
  reward_payment_ref: string | null;
  claimed: number;
  lookup_failures: number;
  lookup_locked_until: string | null;
  version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}
export type TipRow = Selectable<TipsTable>;

export interface TipSealedTable {
  tip_id: string;
  field: 'identity' | 'claim';
  key_id: string;
  sealed: string;
  created_at: string;
}

export interface TipUploadsTable {
  id: string;
  tip_id: string | null;
  sha256: string;
  mime: string;
  size: number;
  created_at: string;
}

export interface TipTalliesTable {
  city_code: string;
  district_code: string;
  month: string;
  channel: string;
  category: string;
  received: number;
  accepted: number;
  declined: number;
  accepted_on_time: number;
  verified: number;
  verified_on_time: number;
  substantiated: number;
  /** Tips whose verification found at least one hazard. */
  with_hazards: number;
  hazards: number;
  major_hazards: number;
  rewards_approved: number;
  rewards_approved_yuan: number;
  rewards_paid: number;
  rewards_paid_yuan: number;
}

export interface RecordEventFilesTable {
  file_id: string;
  entity_type: string;
  entity_id: string;
}

// ─── 治本攻坚 the plan itself (#18) ─────────────────────────────────────────────

export interface PlansTable {
  id: string;
  city_code: string;
  code: string;
  title: string;
  issuer: string;
  period_from: string;
  period_to: string;
  source_note: string;
  created_at: string;
}

export interface PlanNodesTable {
  plan_id: string;
  kind: 'action' | 'measure';
  no: number;
  action_no: number;
  title: string;
  body: string | null;
}

export interface PlanSubplansTable {
  id: string;
  plan_id: string;
  city_code: string;
  unit_kind: 'city' | 'district' | 'department';
  unit_key: string;
  title: string;
  doc_no: string | null;
  published_on: string;
  file_id: string | null;
  created_by: string | null;
  created_at: string;
}

export interface PlanTasksTable {
  id: string;
  plan_id: string;
  city_code: string;
  measure_no: number | null;
  parent_id: string | null;
  subplan_id: string | null;
  origin_type: 'meeting' | 'consultation' | null;
  origin_id: string | null;
  title: string;
  description: string | null;
  source: string | null;
  lead_kind: 'city' | 'district' | 'department';
  lead_key: string;
  owner_name: string | null;
  start_on: string | null;
  due_on: string | null;
  report_every: 'none' | 'monthly' | 'quarterly' | 'half_yearly';
  reported_status: 'not_started' | 'on_track' | 'at_risk' | 'late' | 'done';
  last_report_at: string | null;
  done_on: string | null;
  next_due_on: string | null;
  binding_key: string | null;
  binding_target: number | null;
  version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}
export type PlanTaskRow = Selectable<PlanTasksTable>;

export interface PlanTaskUnitsTable {
  task_id: string;
  role: 'lead' | 'co';
  unit_kind: 'city' | 'district' | 'department';
  unit_key: string;
  seq: number;
}

export interface PlanMilestonesTable {
  id: string;
  task_id: string;
  seq: number;
  title: string;
  due_on: string;
  done_on: string | null;
}

export interface PlanReportsTable {
  id: string;
  task_id: string;
  status: 'on_track' | 'at_risk' | 'late' | 'done';
  period_key: string | null;
  note: string;
  milestone_id: string | null;
  file_ids_json: string | null;
  reported_by: string | null;
  reported_by_name: string;
  reported_at: string;
  reported_on: string;
}

export interface PlanReadingsTable {
  task_id: string;
  on_date: string;
  binding_key: string;
  value: number | null;
}

export interface DutyListsTable {
  id: string;
  city_code: string;
  unit_kind: 'city' | 'district' | 'department';
  unit_key: string;
  kind: 'duty' | 'yearly';
  year: number | null;
  title: string;
  source_doc: string;
  file_id: string | null;
  created_by: string | null;
  created_at: string;
}

export interface DutyItemsTable {
  id: string;
  list_id: string;
  seq: number;
  text: string;
  plan_task_ids_json: string | null;
}

export interface MeetingsTable {
  id: string;
  city_code: string;
  unit_kind: 'city' | 'district' | 'department';
  unit_key: string;
  held_on: string;
  quarter: string;
  title: string;
  chair_name: string;
  chair_role: 'party_secretary' | 'government_head' | 'both' | 'other';
  qualifies: number;
  attendees_json: string;
  topics_json: string;
  minutes_file_id: string | null;
  created_by: string | null;
  created_at: string;
}

export interface FiveLeadRecordsTable {
  id: string;
  city_code: string;
  district_code: string;
  street_code: string | null;
  industry_code: string | null;
  enterprise_id: string;
  year: number;
  item_key: string;
  item_title: string;
  principal_name: string;
  happened_on: string;
  description: string;
  file_ids_json: string | null;
  state: 'submitted' | 'checked' | 'returned';
  check_note: string | null;
  checked_by: string | null;
  checked_by_name: string | null;
  checked_at: string | null;
  version: number;
  created_by: string | null;
  created_at: string;
}

// ─── 生产安全事故 (#19) ─────────────────────────────────────────────────────────

export interface AccidentsTable {
  id: string;
  code: string;
  city_code: string;
  district_code: string;
  street_code: string | null;
  industry_code: string | null;
  enterprise_id: string | null;
  occurred_at: string;
  reported_at: string;
  reported_late: number;
  place: string;
  lng: number | null;
  lat: number | null;
  category: string;
  fire_or_road: number;
  deaths: number;
  missing: number;
  serious_injuries: number;
  loss_yuan: number;
  grade: 'general' | 'larger' | 'major' | 'extraordinary';
  grade_reason: string;
  narrative: string;
  concealment: 'none' | 'concealed' | 'false_report';
  concealment_note: string | null;
  tip_id: string | null;
  investigation: 'pending' | 'investigating' | 'concluded';
  investigation_lead_by: string | null;
  responsibility: string | null;
  report_file_ids_json: string | null;
  version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}
export type AccidentRow = Selectable<AccidentsTable>;

export interface AssessmentSchemesTable {
  city_code: string;
  year: number;
  version: number;
  body_json: string;
  updated_by: string | null;
  updated_by_name: string;
  updated_at: string;
}

export interface AssessmentRunsTable {
  id: string;
  city_code: string;
  scheme_year: number;
  scheme_version: number;
  scheme_json: string;
  period: string;
  period_from: string;
  period_to: string;
  number: number;
  status: 'draft' | 'published' | 'superseded';
  computed_at: string;
  as_at: string;
  result_json: string;
  previous_run_id: string | null;
  created_by: string | null;
  created_by_name: string;
  published_at: string | null;
  published_by: string | null;
  version: number;
}
export type AssessmentRunRow = Selectable<AssessmentRunsTable>;

export interface AssessmentReviewsTable {
  city_code: string;
  quarter: string;
  version: number;
  body_json: string;
  updated_by_name: string;
  updated_at: string;
}

export interface AccountabilityRecordsTable {
  id: string;
  city_code: string;
  district_code: string;
  target_kind: 'district' | 'enterprise';
  enterprise_id: string | null;
  target_name: string;
  kind: 'named' | 'notice' | 'interview' | 'referral';
  reason: string;
  source_type: 'assessment_run' | 'accident' | null;
  source_id: string | null;
  on_date: string;
  by_name: string;
  follow_up_due: string | null;
  follow_up_note: string | null;
  follow_up_file_ids_json: string | null;
  follow_up_at: string | null;
  follow_up_by: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}
export type AccountabilityRow = Selectable<AccountabilityRecordsTable>;

export interface RiskItemsTable {
  id: string;
  code: string;
  city_code: string;
  district_code: string;
  street_code: string | null;
  name: string;
  type: string;
  place: string | null;
  lng: number | null;
  lat: number | null;
  polygon_json: string | null;
  method: 'matrix' | 'ls' | 'lec';
  inputs_json: string;
  score: number;
  level: 'red' | 'orange' | 'yellow' | 'blue';
  /** The effective date of the method rule the level was computed under. */
  rule_from: string;
  measures_json: string;
  review_on: string | null;
  round_id: string | null;
  version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}
export type RiskItemRow = Selectable<RiskItemsTable>;

export interface RiskRoundsTable {
  id: string;
  city_code: string;
  name: string;
  period_from: string;
  period_to: string;
  district_codes_json: string;
  min_items: number;
  needs_report: number;
  created_by: string | null;
  created_at: string;
}

export interface RiskRoundSubmissionsTable {
  round_id: string;
  district_code: string;
  report_file_id: string | null;
  note: string | null;
  items: number;
  submitted_by: string | null;
  submitted_by_name: string;
  submitted_at: string;
}

export interface CertificatesTable {
  id: string;
  city_code: string;
  district_code: string;
  street_code: string | null;
  industry_code: string;
  enterprise_id: string;
  kind: 'special_operation' | 'principal' | 'safety_manager';
  operation: string | null;
  holder_name: string;
  /** The ID number with all but its first 3 and last 4 characters hidden; the number itself only sealed. */
  id_mask: string;
  id_key_id: string;
  id_sealed: string;
  number: string;
  issuer: string;
  valid_from: string;
  valid_to: string;
  created_by: string | null;
  created_at: string;
}
export type CertificateRow = Selectable<CertificatesTable>;

export interface CertificateLapsesTable {
  certificate_id: string;
  enterprise_id: string;
  hazard_id: string;
  created_at: string;
  closed_at: string | null;
  renewed_by: string | null;
}

export interface StandardizationsTable {
  id: string;
  enterprise_id: string;
  level: 'level1' | 'level2' | 'level3' | 'small';
  certificate_no: string;
  issuer: string;
  valid_from: string;
  valid_to: string;
  review_on: string | null;
  note: string | null;
  created_by: string | null;
  created_by_name: string;
  created_at: string;
}

export interface BenchmarkEnterprisesTable {
  enterprise_id: string;
  reason: string;
  since: string;
  named_by: string | null;
  named_by_name: string;
  created_at: string;
}

export interface CoursesTable {
  id: string;
  city_code: string;
  district_code: string | null;
  title: string;
  organiser: string;
  mode: 'main' | 'city_branch' | 'district_branch' | 'other';
  starts_on: string;
  ends_on: string;
  hours: number;
  focus_year: number | null;
  industries_json: string;
  audience_json: string;
  created_by: string | null;
  created_at: string;
}

export interface CourseAttendanceTable {
  id: string;
  course_id: string;
  city_code: string;
  district_code: string | null;
  street_code: string | null;
  industry_code: string | null;
  enterprise_id: string | null;
  /** The enterprise's id, or '' for an official: one row per course, enterprise, person and role. */
  enterprise_key: string;
  person_name: string;
  role: 'principal' | 'safety_manager' | 'fire_safety' | 'worker' | 'official';
  office_name: string | null;
  hours: number;
  passed: number;
  recorded_by: string | null;
  recorded_at: string;
}

export interface CampaignsTable {
  id: string;
  city_code: string;
  code: string;
  topic: 'high_rise_fire' | 'town_gas' | 'factories_warehouses' | 'waterway_traffic' | 'problem_areas' | 'other';
  title: string;
  starts_on: string;
  ends_on: string;
  district_codes_json: string;
  checklist_json: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface CampaignTargetsTable {
  id: string;
  campaign_id: string;
  city_code: string;
  district_code: string;
  street_code: string | null;
  industry_code: string | null;
  enterprise_id: string | null;
  /** The enterprise's id, or the place's name for a place that is not an enterprise: each once per campaign. */
  target_key: string;
  place_name: string;
  status: 'pending' | 'checked';
  checked_on: string | null;
  checked_by_kind: 'officer' | 'expert' | 'self_check' | null;
  checked_by_name: string | null;
  results_json: string | null;
  note: string | null;
  added_by: string | null;
  added_at: string;
  updated_at: string;
  version: number;
}

export interface ConsultationsTable {
  id: string;
  city_code: string;
  unit_kind: 'city' | 'district' | 'department';
  unit_key: string;
  held_on: string;
  title: string;
  participants_json: string;
  risk_ids_json: string;
  summary: string;
  created_by: string | null;
  created_at: string;
}
