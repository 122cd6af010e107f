import { Alert, App, Button, Checkbox, DatePicker, Drawer, Flex, Form, Input, InputNumber, Modal, Select, Space, Tabs, Timeline, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { z } from 'zod';
import { APPEAL_STATUSES, CASE_STATUS_LABELS, CASE_STATUSES, DECISION_KINDS, DECISION_LABELS } from '../../../shared/contracts/enforcement';
import type { Case, CaseAction, CaseDetail, CaseStatus, DecisionKind, InspectionDetail, Provision, RecordEvent } from '../../../shared/contracts/enforcement';
import { api, fileUrl, itemsOf } from '../../api';
import type { ListResult } from '../../api';
import { Clip } from '../../components/Clip';
import { DocButton } from '../../components/DocButton';
import { EvidenceUpload } from '../../components/EvidenceUpload';
import { BlockLoading, ErrorState } from '../../components/Feedback';
import { DrawerFooter, FormError, useFormSubmit } from '../../components/FormParts';
import { TableCard } from '../../components/TableCard';
import { formatDate, formatDateTime } from '../../format';
import { useAsync, useIsPhone, useOpenCount } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import type { Translate } from '../../i18n';
import { CaseStatusTag, yuanText } from './tags';
import type { ViewProps } from './viewParams';
import { FactList } from '../../components/FactList';

type ProvisionRow = z.infer<typeof Provision>;
type AppealStatus = (typeof APPEAL_STATUSES)[number];
interface Discretion {
  items: { code: string; label: string; minYuan: number; maxYuan: number }[];
  isExample: boolean;
  note: string;
}

/** Filters a bulletin figure or an inspection may carry. */
const FILTERS = ['status', 'decision', 'from', 'to', 'decidedFrom', 'decidedTo', 'districtCode', 'enterpriseId', 'inspectionId'] as const;

/** 案件: the cases in scope (立案→决定→执行→结案); one opens in a drawer with its steps. */
export function CasesView({ params, set }: ViewProps) {
  const t = useT();
  const { lang } = useLang();
  const phone = useIsPhone();
  const page = Number(params.get('page') ?? 1);
  const filters = Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? undefined]));
  const key = JSON.stringify([filters, page]);
  const list = useAsync((signal) => api.get<ListResult<Case>>('/api/cases', { ...filters, page, pageSize: 20 }, signal), [key]);
  const open = params.get('case');
  const filtered = FILTERS.some((k) => k !== 'status' && params.get(k));
  const columns: TableColumnsType<Case> = [
    { key: 'code', title: t('enf.case.code'), render: (_, c) => <a data-testid="enf-case-open">{c.code}</a> },
    { key: 'enterprise', title: t('enf.col.enterprise'), dataIndex: 'enterpriseName' },
    { key: 'violation', title: t('enf.case.violation'), render: (_, c) => <Clip text={c.violation} /> },
    { key: 'decision', title: t('enf.case.decision'), render: (_, c) => (c.decision ? pick(lang, DECISION_LABELS[c.decision]) : '—') },
    { key: 'fine', title: t('enf.case.fine'), align: 'right', render: (_, c) => (c.fineYuan ? yuanText(c.fineYuan, lang) : '—') },
    { key: 'status', title: t('enf.col.status'), render: (_, c) => <CaseStatusTag status={c.status} /> },
    { key: 'filed', title: t('enf.case.filedOn'), render: (_, c) => formatDate(c.filedOn) },
  ];
  return (
    <>
      <TableCard<Case>
        title={filtered ? t('enf.filtered') : undefined}
        extra={
          filtered && (
            <Button size="small" onClick={() => set(Object.fromEntries([...FILTERS.filter((k) => k !== 'status'), 'page'].map((k) => [k, null])))} data-testid="enf-case-clear">
              {t('enf.clearFilters')}
            </Button>
          )
        }
        before={
          <Tabs
            activeKey={params.get('status') ?? ''}
            onChange={(k) => set({ status: k || null, page: null })}
            items={['', ...CASE_STATUSES].map((s) => ({ key: s, label: s ? pick(lang, CASE_STATUS_LABELS[s as CaseStatus]) : t('enf.all') }))}
          />
        }
        list={list}
        columns={phone ? columns.filter((c) => ['code', 'enterprise', 'status'].includes(String(c.key))) : columns}
        empty={t('enf.case.none')}
        testId="enf-case-table"
        paging={{ page, onChange: (p) => set({ page: p > 1 ? String(p) : null }) }}
        onRowClick={(c) => set({ case: c.id })}
      />
      {open && <CaseDrawer key={open} id={open} onClose={() => set({ case: null })} onChanged={list.reload} />}
    </>
  );
}

function eventText(t: Translate, action: string): string {
  const known = ['file', 'decide', 'record_payment', 'record_appeal', 'close'] as const;
  return (known as readonly string[]).includes(action) ? t(`enf.case.event.${action as (typeof known)[number]}`) : action;
}

/** Who did what, when, with what evidence: a case's or an inspection's steps. */
export function RecordTimeline({ events, label }: { events: RecordEvent[]; label: (action: string) => string }) {
  const t = useT();
  return (
    <Timeline
      items={[...events]
        .sort((a, b) => a.seq - b.seq)
        .map((e) => ({
          key: e.seq,
          content: (
            <span data-testid="enf-event">
              <Typography.Text strong>{label(e.action)}</Typography.Text> · {e.actorName} · {formatDateTime(e.at)}
              {e.comment && <div>{e.comment}</div>}
              {e.attachmentIds.length > 0 && (
                <div>
                  {e.attachmentIds.map((id, i) => (
                    <Typography.Link key={id} href={fileUrl(id)} target="_blank" rel="noopener noreferrer" style={{ marginRight: 8 }}>
                      {t('enf.attachment', { n: i + 1 })}
                    </Typography.Link>
                  ))}
                </div>
              )}
            </span>
          ),
        }))}
    />
  );
}

function CaseDrawer({ id, onClose, onChanged }: { id: string; onClose: () => void; onChanged: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const phone = useIsPhone();
  const detail = useAsync((signal) => api.get<CaseDetail>(`/api/cases/${encodeURIComponent(id)}`, undefined, signal), [id]);
  const [action, setAction] = useState<CaseAction | null>(null);
  const c = detail.data;
  return (
    <Drawer
      open
      title={c ? `${t('enf.case.title')} ${c.code}` : t('enf.case.title')}
      onClose={onClose}
      size={phone ? '100%' : 720}
      data-testid="enf-case-drawer"
      footer={
        c && (
          <Flex gap={8} wrap justify="flex-end">
            {c.decision && (
              <DocButton path={`/api/cases/${encodeURIComponent(id)}/decision.docx`} fileName={`${c.code}-${t('enf.doc.decision')}.docx`} data-testid="enf-case-decision-docx">
                {t('enf.doc.decision')}
              </DocButton>
            )}
            {c.allowedActions.map((a) => (
              <Button key={a} type={a === 'decide' || a === 'close' ? 'primary' : 'default'} onClick={() => setAction(a)} data-testid={`enf-case-action-${a}`}>
                {t(`enf.case.action.${a}`)}
              </Button>
            ))}
          </Flex>
        )
      }
    >
      {detail.error && !detail.loading ? (
        <ErrorState error={detail.error} onRetry={detail.reload} />
      ) : !c ? (
        <BlockLoading />
      ) : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <FactList
            items={[
              { key: 'status', label: t('enf.col.status'), children: <CaseStatusTag status={c.status} /> },
              { key: 'enterprise', label: t('enf.col.enterprise'), children: c.enterpriseName },
              { key: 'inspection', label: t('enf.case.inspection'), children: <Link to={`/enforcement/inspections/${c.inspectionId}`}>{t('enf.case.openInspection')}</Link> },
              { key: 'violation', label: t('enf.case.violation'), children: c.violation },
              { key: 'basis', label: t('enf.case.basis'), children: c.provisions.map((p) => <div key={p.id}>{`${p.law} ${p.article} ${p.title}`}</div>) },
              { key: 'hazards', label: t('enf.case.hazards'), children: c.hazardIds.length ? c.hazardIds.map((h, i) => <Link key={h} to={`/hazards/${h}`} style={{ marginRight: 8 }}>{t('enf.case.hazardN', { n: i + 1 })}</Link>) : '—' },
              { key: 'filed', label: t('enf.case.filedOn'), children: formatDate(c.filedOn) },
              { key: 'decision', label: t('enf.case.decision'), children: c.decision ? `${pick(lang, DECISION_LABELS[c.decision])}${c.documentNo ? `（${c.documentNo}）` : ''} · ${formatDate(c.decidedOn)}` : '—' },
              ...(c.discretion ? [{ key: 'discretion', label: t('enf.case.circumstance'), children: `${c.discretion.label}（${yuanText(c.discretion.minYuan, lang)} – ${yuanText(c.discretion.maxYuan, lang)}）` }] : []),
              { key: 'fine', label: t('enf.case.fine'), children: c.fineYuan ? `${yuanText(c.fineYuan, lang)} · ${t('enf.case.paid')} ${yuanText(c.paidYuan, lang)}${c.paidOn ? `（${formatDate(c.paidOn)}）` : ''}` : '—' },
              { key: 'appeal', label: t('enf.case.appeal'), children: t(`enf.appeal.${c.appealStatus}`) },
              { key: 'closed', label: t('enf.case.closedOn'), children: formatDate(c.closedOn) },
            ]}
          />
          {c.events.length > 0 && <RecordTimeline events={c.events} label={(a) => eventText(t, a)} />}
        </Space>
      )}
      {c && (
        <CaseStepModal
          caseDetail={c}
          action={action}
          onClose={() => setAction(null)}
          onDone={() => {
            setAction(null);
            detail.reload();
            onChanged();
          }}
        />
      )}
    </Drawer>
  );
}

interface StepValues {
  decision?: DecisionKind;
  circumstance?: string;
  fineYuan?: number;
  decidedOn?: dayjs.Dayjs;
  documentNo?: string;
  paidYuan?: number;
  paidOn?: dayjs.Dayjs;
  appealStatus?: AppealStatus;
  closedOn?: dayjs.Dayjs;
  comment?: string;
  attachmentIds?: string[];
}

const day = (d?: dayjs.Dayjs) => d?.format('YYYY-MM-DD');

function stepBody(action: CaseAction, c: CaseDetail, v: StepValues): Record<string, unknown> {
  const common = { version: c.version, comment: v.comment?.trim() || undefined, attachmentIds: v.attachmentIds?.length ? v.attachmentIds : undefined };
  switch (action) {
    case 'decide':
      return { ...common, decision: v.decision, circumstance: v.circumstance, fineYuan: v.decision === 'fine' ? v.fineYuan : undefined, decidedOn: day(v.decidedOn), documentNo: v.documentNo?.trim() || undefined };
    case 'record_payment':
      return { ...common, paidYuan: v.paidYuan, paidOn: day(v.paidOn) };
    case 'record_appeal':
      return { ...common, appealStatus: v.appealStatus };
    case 'close':
      return { ...common, closedOn: day(v.closedOn) };
  }
}

/** One step of a case, in a modal; a fresh form on every opening. */
function CaseStepModal(props: { caseDetail: CaseDetail; action: CaseAction | null; onClose: () => void; onDone: () => void }) {
  return <StepModal key={useOpenCount(props.action !== null)} {...props} />;
}

function StepModal({ caseDetail: c, action, onClose, onDone }: { caseDetail: CaseDetail; action: CaseAction | null; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const { message } = App.useApp();
  const [form] = Form.useForm<StepValues>();
  const [uploading, setUploading] = useState(false);
  const decision = Form.useWatch('decision', form);
  const circumstance = Form.useWatch('circumstance', form);
  const discretion = useAsync((signal) => (action === 'decide' ? api.get<Discretion>('/api/enforcement/discretion', undefined, signal) : Promise.resolve(null)), [action]);
  const band = discretion.data?.items.find((i) => i.code === circumstance);
  const { busy, formError, onFinish } = useFormSubmit<StepValues>(
    form,
    async (v) => {
      if (!action) return;
      await api.post<CaseDetail>(`/api/cases/${encodeURIComponent(c.id)}/actions/${action}`, stepBody(action, c, v));
      message.success(t('enf.case.stepDone', { action: t(`enf.case.action.${action}`) }));
      onDone();
    },
    { onConflict: { title: t('enf.conflict'), content: t('enf.conflictDetail'), reload: onDone } },
  );
  if (!action) return null;
  const required = (label: string) => [{ required: true, message: t('common.required', { field: label }) }];
  const dateField = (name: 'decidedOn' | 'paidOn' | 'closedOn', label: string) => (
    <Form.Item name={name} label={label} rules={required(label)}>
      <DatePicker style={{ width: '100%' }} allowClear={false} />
    </Form.Item>
  );
  return (
    <Modal
      open
      title={`${t(`enf.case.action.${action}`)} · ${c.code}`}
      onCancel={onClose}
      footer={<DrawerFooter onCancel={onClose} onSubmit={() => form.submit()} busy={busy || uploading} submitText={t(`enf.case.action.${action}`)} testId="enf-case-step-submit" />}
      destroyOnHidden
    >
      <FormError error={formError} />
      <Form<StepValues>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        initialValues={{ decision: 'fine', decidedOn: dayjs(), paidOn: dayjs(), closedOn: dayjs(), paidYuan: c.fineYuan ? Math.max(0, c.fineYuan - c.paidYuan) || undefined : undefined, appealStatus: c.appealStatus === 'none' ? undefined : c.appealStatus }}
      >
        {action === 'decide' && (
          <>
            {discretion.data?.isExample && <Alert type="warning" showIcon title={t('enf.case.discretionExample')} description={discretion.data.note} style={{ marginBottom: 12 }} />}
            <Form.Item name="decision" label={t('enf.case.decision')} rules={required(t('enf.case.decision'))}>
              <Select options={DECISION_KINDS.map((d) => ({ value: d, label: pick(lang, DECISION_LABELS[d]) }))} data-testid="enf-case-decision" />
            </Form.Item>
            <Form.Item name="circumstance" label={t('enf.case.circumstance')} rules={required(t('enf.case.circumstance'))}>
              <Select
                loading={discretion.loading}
                options={(discretion.data?.items ?? []).map((i) => ({ value: i.code, label: `${i.label}（${yuanText(i.minYuan, lang)} – ${yuanText(i.maxYuan, lang)}）` }))}
                data-testid="enf-case-circumstance"
              />
            </Form.Item>
            {decision === 'fine' && (
              <Form.Item name="fineYuan" label={t('enf.case.fineYuan')} rules={required(t('enf.case.fineYuan'))} extra={band ? t('enf.case.band', { min: yuanText(band.minYuan, lang), max: yuanText(band.maxYuan, lang) }) : undefined}>
                <InputNumber min={0.01} max={100_000_000} precision={2} style={{ width: '100%' }} data-testid="enf-case-fine" />
              </Form.Item>
            )}
            {dateField('decidedOn', t('enf.case.decidedOn'))}
            <Form.Item name="documentNo" label={t('enf.case.documentNo')}>
              <Input maxLength={60} />
            </Form.Item>
          </>
        )}
        {action === 'record_payment' && (
          <>
            <Form.Item name="paidYuan" label={t('enf.case.paidYuan')} rules={required(t('enf.case.paidYuan'))}>
              <InputNumber min={0.01} max={100_000_000} precision={2} style={{ width: '100%' }} data-testid="enf-case-paid" />
            </Form.Item>
            {dateField('paidOn', t('enf.case.paidOn'))}
          </>
        )}
        {action === 'record_appeal' && (
          <Form.Item name="appealStatus" label={t('enf.case.appeal')} rules={required(t('enf.case.appeal'))}>
            <Select options={APPEAL_STATUSES.map((s) => ({ value: s, label: t(`enf.appeal.${s}`) }))} />
          </Form.Item>
        )}
        {action === 'close' && dateField('closedOn', t('enf.case.closedOn'))}
        <Form.Item name="comment" label={t('enf.case.comment')} rules={action === 'record_appeal' ? [{ required: true, min: 2, message: t('enf.case.commentRequired') }] : []}>
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
        <Form.Item name="attachmentIds" label={t('enf.case.evidence')} extra={t('upload.fileTypes')}>
          <EvidenceUpload onUploadingChange={setUploading} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface NewCaseValues {
  violation: string;
  provisionIds: string[];
  hazardIds: string[];
}

/** 立案 from an inspection: the violation, its legal basis from the catalogue, the findings it concerns. */
export function NewCaseDrawer({ inspection, onClose, onDone }: { inspection: InspectionDetail; onClose: () => void; onDone: (c: CaseDetail) => void }) {
  const t = useT();
  const phone = useIsPhone();
  const { message } = App.useApp();
  const [form] = Form.useForm<NewCaseValues>();
  const provisions = useAsync(async (signal) => itemsOf(await api.get<ProvisionRow[] | { items: ProvisionRow[] }>('/api/enforcement/provisions', undefined, signal)), []);
  const active = (provisions.data ?? []).filter((p) => p.active);
  const { busy, formError, onFinish } = useFormSubmit<NewCaseValues>(form, async (v) => {
    const made = await api.post<CaseDetail>('/api/cases', { inspectionId: inspection.id, violation: v.violation.trim(), provisionIds: v.provisionIds, hazardIds: v.hazardIds?.length ? v.hazardIds : undefined });
    message.success(t('enf.case.filed', { code: made.code }));
    onDone(made);
  });
  return (
    <Drawer open title={`${t('enf.case.file')} · ${inspection.enterpriseName}`} onClose={onClose} size={phone ? '100%' : 560} footer={<DrawerFooter onCancel={onClose} onSubmit={() => form.submit()} busy={busy} submitText={t('enf.case.file')} testId="enf-case-file-submit" />}>
      <FormError error={formError} />
      {provisions.data && !active.length && <Alert type="warning" showIcon title={t('enf.case.noProvisions')} style={{ marginBottom: 12 }} />}
      {provisions.error ? <ErrorState error={provisions.error} onRetry={provisions.reload} /> : null}
      <Form<NewCaseValues> form={form} layout="vertical" onFinish={onFinish} initialValues={{ hazardIds: inspection.findingsList.map((f) => f.hazardId) }}>
        <Form.Item name="violation" label={t('enf.case.violation')} rules={[{ required: true, min: 5, whitespace: true, message: t('enf.case.violationRequired') }]}>
          <Input.TextArea rows={4} maxLength={1000} placeholder={t('enf.case.violationPh')} data-testid="enf-case-violation" />
        </Form.Item>
        <Form.Item name="provisionIds" label={t('enf.case.basis')} rules={[{ required: true, message: t('enf.case.basisRequired') }]}>
          <Select
            mode="multiple"
            loading={provisions.loading}
            showSearch={{ optionFilterProp: 'label' }}
            options={active.map((p) => ({ value: p.id, label: `${p.law} ${p.article} ${p.title}` }))}
            data-testid="enf-case-provisions"
          />
        </Form.Item>
        {inspection.findingsList.length > 0 && (
          <Form.Item name="hazardIds" label={t('enf.case.hazards')}>
            <Checkbox.Group options={inspection.findingsList.map((f) => ({ value: f.hazardId, label: `${f.code} ${f.description}`.slice(0, 80) }))} className="zb-enf-checks" />
          </Form.Item>
        )}
      </Form>
    </Drawer>
  );
}
