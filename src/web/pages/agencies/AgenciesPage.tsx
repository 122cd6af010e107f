import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, DatePicker, Drawer, Empty, Flex, Form, Input, Segmented, Select, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { ENGAGEMENT_STATUS_LABELS, SERVICE_TYPE_LABELS, SERVICE_TYPES } from '../../../shared/contracts/agencies';
import type { Agency, AgencyDetail, Engagement, EngagementDetail, QualificationState, ServiceType } from '../../../shared/contracts/agencies';
import { api } from '../../api';
import type { ListResult } from '../../api';
import { EnterpriseSelect } from '../../components/EnterpriseSelect';
import { EvidenceUpload } from '../../components/EvidenceUpload';
import { BlockLoading, ErrorState } from '../../components/Feedback';
import { DrawerFooter, FormError, useAction, useFormSubmit } from '../../components/FormParts';
import { PageHeader } from '../../components/PageHeader';
import { RemoteSelect } from '../../components/RemoteSelect';
import { TableCard } from '../../components/TableCard';
import { formatDate } from '../../format';
import { useAsync, useIsPhone, useUrlParams } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { useMe } from '../../session';
import { managesAgencies, recordsEngagements } from './access';

type View = 'registry' | 'engagements';
type Filter = '' | 'listed' | 'expired' | 'expiring';

const Q_COLORS: Record<QualificationState, string> = { valid: 'green', expiring: 'orange', expired: 'red' };
export function QualificationTag({ state }: { state: QualificationState | null }) {
  const t = useT();
  return <Tag color={state ? Q_COLORS[state] : 'default'} data-testid="ag-qual-state">{state ? t(`ag.q.${state}`) : t('ag.q.none')}</Tag>;
}

export function ServiceTags({ types }: { types: readonly ServiceType[] }) {
  const { lang } = useLang();
  return (
    <Space size={[4, 4]} wrap>
      {types.map((s) => (
        <Tag key={s}>{pick(lang, SERVICE_TYPE_LABELS[s])}</Tag>
      ))}
    </Space>
  );
}

/** 谁使用谁负责: what anyone engaging the agency is told first. */
export function AgencyWarnings({ warnings, testId = 'ag-warnings' }: { warnings: readonly string[]; testId?: string }) {
  const t = useT();
  if (!warnings.length) return null;
  return <Alert type="error" showIcon title={t('ag.warnings')} description={<ul style={{ margin: 0, paddingInlineStart: 18 }}>{warnings.map((w) => <li key={w}>{w}</li>)}</ul>} data-testid={testId} />;
}

/** 第三方机构: the registry with each agency's standing and record; the engagements in scope. */
export default function AgenciesPage() {
  const t = useT();
  const me = useMe();
  const { params, set, setParams } = useUrlParams();
  const views: View[] = ['registry', 'engagements'];
  // An enterprise starts from its engagements, unless a link (a reminder) opens an agency of the registry.
  const view = (params.get('view') as View | null) === 'engagements' || (!params.get('view') && !params.get('id') && me.role === 'enterprise') ? 'engagements' : 'registry';
  return (
    <div className="zb-page">
      <PageHeader title={t('ag.title')} />
      <div className="zb-enf-views">
        <Segmented<View> value={view} onChange={(v) => setParams({ view: v }, { replace: true })} options={views.map((v) => ({ value: v, label: t(`ag.view.${v}`) }))} data-testid="ag-view" />
      </div>
      {view === 'registry' ? <RegistryView params={params} set={set} /> : <EngagementsView params={params} set={set} />}
    </div>
  );
}

interface ViewProps {
  params: URLSearchParams;
  set: (patch: Record<string, string | null>) => void;
}

function RegistryView({ params, set }: ViewProps) {
  const t = useT();
  const me = useMe();
  const phone = useIsPhone();
  const page = Number(params.get('page') ?? 1);
  const q = params.get('q') ?? undefined;
  const filter = (params.get('filter') ?? '') as Filter;
  const open = params.get('id');
  const [adding, setAdding] = useState(false);
  const query = { q, page, pageSize: 20, listed: filter === 'listed' ? 'true' : undefined, qualification: filter === 'expired' || filter === 'expiring' ? filter : undefined };
  const list = useAsync((signal) => api.get<ListResult<Agency>>('/api/agencies', query, signal), [q, page, filter]);
  const columns: TableColumnsType<Agency> = [
    {
      key: 'name',
      title: t('ag.col.name'),
      render: (_, a) => (
        <Space size={4} wrap>
          <a data-testid="ag-open">{a.name}</a>
          {a.listed && <Tag color="red">{t('ag.listed')}</Tag>}
        </Space>
      ),
    },
    { key: 'services', title: t('ag.col.services'), render: (_, a) => <ServiceTags types={a.serviceTypes} /> },
    { key: 'qual', title: t('ag.col.qualification'), render: (_, a) => <QualificationTag state={a.qualificationState} /> },
    { key: 'approvedBy', title: t('ag.col.approvedBy'), dataIndex: 'approvedBy' },
    { key: 'record', title: t('ag.col.record'), align: 'right', render: (_, a) => `${a.engagements} / ${a.findings}` },
  ];
  return (
    <>
      <TableCard<Agency>
        before={
          <Flex gap={8} wrap align="center" style={{ marginBottom: 8 }}>
            <Input.Search allowClear placeholder={t('ag.search')} defaultValue={q} onSearch={(v) => set({ q: v.trim() || null, page: null })} style={{ maxWidth: 320 }} data-testid="ag-search" />
            <Segmented<Filter> value={filter} onChange={(v) => set({ filter: v || null, page: null })} options={(['', 'listed', 'expired', 'expiring'] as Filter[]).map((f) => ({ value: f, label: t(f ? `ag.filter.${f}` : 'ag.filter.all') }))} />
            {managesAgencies(me) && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="ag-add">
                {t('ag.add')}
              </Button>
            )}
          </Flex>
        }
        list={list}
        columns={phone ? columns.filter((c) => ['name', 'qual'].includes(String(c.key))) : columns}
        empty={t('ag.none')}
        testId="ag-table"
        paging={{ page, onChange: (p) => set({ page: p > 1 ? String(p) : null }) }}
        onRowClick={(a) => set({ id: a.id })}
      />
      {open && <AgencyDrawer key={open} id={open} onClose={() => set({ id: null })} onChanged={list.reload} />}
      {adding && <AgencyForm onClose={() => setAdding(false)} onDone={(id) => (list.reload(), set({ id }))} />}
    </>
  );
}

/** An agency: its standing, qualifications, staff, record (contradicted reports, complaints, penalties) and listings. */
function AgencyDrawer({ id, onClose, onChanged }: { id: string; onClose: () => void; onChanged: () => void }) {
  const t = useT();
  const phone = useIsPhone();
  const detail = useAsync((signal) => api.get<AgencyDetail>(`/api/agencies/${encodeURIComponent(id)}`, undefined, signal), [id]);
  const a = detail.data;
  const changed = () => {
    detail.reload();
    onChanged();
  };
  return (
    <Drawer open title={a?.name ?? t('ag.view.registry')} size={phone ? '100%' : 640} onClose={onClose} data-testid="ag-drawer">
      {detail.error && !detail.loading ? (
        <ErrorState error={detail.error} onRetry={detail.reload} />
      ) : !a ? (
        <BlockLoading />
      ) : (
        <Flex vertical gap={16}>
          <AgencyWarnings warnings={a.warnings} />
          <Flex vertical gap={4}>
            <Typography.Text type="secondary">{`${t('ag.uscc')}：${a.uscc}`}</Typography.Text>
            <ServiceTags types={a.serviceTypes} />
            <Typography.Text>{`${t('ag.col.approvedBy')}：${a.approvedBy}`}</Typography.Text>
            {a.supervisedBy && <Typography.Text>{`${t('ag.supervisedBy')}：${a.supervisedBy}`}</Typography.Text>}
            {a.address && <Typography.Text type="secondary">{`${t('ag.address')}：${a.address}`}</Typography.Text>}
            {(a.contactName || a.contactPhone) && <Typography.Text type="secondary">{`${t('ag.contact')}：${[a.contactName, a.contactPhone].filter(Boolean).join(' ')}`}</Typography.Text>}
          </Flex>
          <Card size="small" className="zb-card" title={t('ag.record')}>
            <Flex gap={20} wrap data-testid="ag-record" align="end">
              <Statistic title={t('ag.rec.engagements')} value={a.engagements} />
              <Statistic title={t('ag.rec.findings')} value={a.findings} />
              <Statistic title={t('ag.rec.major')} value={a.majorFindings} />
              <Statistic title={t('ag.rec.contradicted')} value={a.contradictedCount} styles={a.contradictedCount ? { content: { color: '#cf1322' } } : undefined} data-testid="ag-contradicted" data-value={a.contradictedCount} />
              <Statistic title={t('ag.rec.complaints')} value={a.complaints} />
              <Statistic title={t('ag.rec.penalties')} value={a.penalties} />
              {a.engagements > 0 && (
                <Link to={`/agencies?view=engagements&agencyId=${encodeURIComponent(a.id)}`} data-testid="ag-engagements-link">
                  {t('ag.rec.openEngagements')}
                </Link>
              )}
            </Flex>
            {a.contradictedCount > 0 && (
              <Flex vertical gap={4} style={{ marginTop: 12 }}>
                <Typography.Text type="secondary">{t('ag.contradicted.title', { days: a.contradictionDays })}</Typography.Text>
                {a.contradicted.map((c) => (
                  <Typography.Text key={`${c.engagementId}:${c.hazardId}`}>
                    <Link to={`/agencies/engagements/${c.engagementId}`}>{c.engagementCode}</Link>{' '}
                    {t('ag.contradicted.row', { enterprise: c.enterpriseName, concluded: formatDate(c.concludedOn), found: formatDate(c.foundOn), hazard: '' })}
                    <Link to={`/hazards/${c.hazardId}`}>{c.hazardCode}</Link>
                  </Typography.Text>
                ))}
                {a.contradictedCount > a.contradicted.length && <Typography.Text type="secondary">{t('ag.contradicted.hidden', { n: a.contradictedCount - a.contradicted.length })}</Typography.Text>}
              </Flex>
            )}
          </Card>
          <Card size="small" className="zb-card" title={t('ag.quals')}>
            <Table
              rowKey="number"
              size="small"
              pagination={false}
              dataSource={a.qualifications}
              scroll={{ x: 'max-content' }}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ag.q.none')} /> }}
              columns={[
                { key: 'name', title: t('ag.qual.name'), dataIndex: 'name' },
                { key: 'issuer', title: t('ag.qual.issuer'), dataIndex: 'issuer' },
                { key: 'number', title: t('ag.qual.number'), dataIndex: 'number' },
                { key: 'expires', title: t('ag.qual.expires'), render: (_, q) => <Space size={4}>{formatDate(q.expiresOn)}<QualificationTag state={q.state} /></Space> },
              ]}
            />
          </Card>
          {a.staff.length > 0 && (
            <Card size="small" className="zb-card" title={`${t('ag.staff')}（${a.staff.length}）`}>
              <Flex vertical gap={6}>
                {a.staff.map((s) => (
                  <Space key={`${s.name}:${s.certificateNo}`} wrap>
                    <Typography.Text strong>{s.name}</Typography.Text>
                    <Typography.Text type="secondary">{`${s.certificate} ${s.certificateNo}`}</Typography.Text>
                    {s.expired && <Tag color="red">{t('ag.staff.expired')}</Tag>}
                  </Space>
                ))}
              </Flex>
            </Card>
          )}
          <ListingsCard agency={a} onChanged={changed} />
          <RecordsCard agency={a} onChanged={changed} />
        </Flex>
      )}
    </Drawer>
  );
}

function ListingsCard({ agency: a, onChanged }: { agency: AgencyDetail; onChanged: () => void }) {
  const t = useT();
  const [reason, setReason] = useState('');
  const [lift, setLift] = useState<Record<string, string>>({});
  const { busy, error, run } = useAction();
  const send = async (url: string, body: object, done: string) => {
    if (await run(() => api.post(url, body), done)) {
      setReason('');
      setLift({});
      onChanged();
    }
  };
  const base = `/api/agencies/${encodeURIComponent(a.id)}/listings`;
  return (
    <Card size="small" className="zb-card" title={t('ag.listings')} data-testid="ag-listings">
      <Flex vertical gap={8}>
        <FormError error={error} />
        {!a.listings.length && <Typography.Text type="secondary">{t('ag.listings.none')}</Typography.Text>}
        {a.listings.map((l) => (
          <Flex key={l.id} vertical gap={4} style={{ borderBottom: '1px solid #f0f0f0', paddingBottom: 8 }}>
            <Space wrap>
              <Tag color={l.liftedAt ? 'default' : 'red'}>{l.officeName}</Tag>
              <Typography.Text type="secondary">{formatDate(l.listedAt)}</Typography.Text>
              {l.listedByName && <Typography.Text type="secondary">{l.listedByName}</Typography.Text>}
            </Space>
            <Typography.Text>{l.reason}</Typography.Text>
            {l.liftedAt ? (
              <Typography.Text type="secondary">{t('ag.lifted', { date: formatDate(l.liftedAt), reason: l.liftReason ?? '' })}</Typography.Text>
            ) : (
              l.mayLift && (
                <Space.Compact style={{ width: '100%' }}>
                  <Input placeholder={t('ag.liftReason')} value={lift[l.id] ?? ''} onChange={(e) => setLift({ ...lift, [l.id]: e.target.value })} maxLength={1000} />
                  <Button disabled={(lift[l.id] ?? '').trim().length < 2} loading={busy} onClick={() => void send(`${base}/${l.id}/lift`, { reason: lift[l.id].trim() }, t('ag.lift.done'))}>
                    {t('ag.lift')}
                  </Button>
                </Space.Compact>
              )
            )}
          </Flex>
        ))}
        {a.mayList && (
          <>
            <Input.TextArea rows={2} maxLength={1000} placeholder={t('ag.listReason')} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="ag-list-reason" />
            <Button danger disabled={reason.trim().length < 5} loading={busy} onClick={() => void send(base, { reason: reason.trim() }, t('ag.listed.done'))} data-testid="ag-list">
              {t('ag.list')}
            </Button>
          </>
        )}
      </Flex>
    </Card>
  );
}

function RecordsCard({ agency: a, onChanged }: { agency: AgencyDetail; onChanged: () => void }) {
  const t = useT();
  const me = useMe();
  const kinds = managesAgencies(me) ? (['complaint', 'penalty'] as const) : me.role === 'enterprise' ? (['complaint'] as const) : [];
  const [kind, setKind] = useState<'complaint' | 'penalty'>('complaint');
  const [date, setDate] = useState(dayjs());
  const [summary, setSummary] = useState('');
  const { busy, error, run } = useAction();
  const send = async () => {
    if (await run(() => api.post(`/api/agencies/${encodeURIComponent(a.id)}/records`, { kind, occurredOn: date.format('YYYY-MM-DD'), summary: summary.trim() }), t('ag.rec.done'))) {
      setSummary('');
      onChanged();
    }
  };
  return (
    <Card size="small" className="zb-card" title={t('ag.records')} data-testid="ag-records">
      <Flex vertical gap={8}>
        {!a.records.length && <Typography.Text type="secondary">{t('ag.records.none')}</Typography.Text>}
        {a.records.map((r) => (
          <Space key={r.id} align="start">
            <Tag color={r.kind === 'penalty' ? 'red' : 'orange'}>{t(`ag.rec.kind.${r.kind}`)}</Tag>
            <Typography.Text type="secondary">{formatDate(r.occurredOn)}</Typography.Text>
            <Typography.Text>{r.summary}</Typography.Text>
          </Space>
        ))}
        {kinds.length > 0 && (
          <>
            <FormError error={error} />
            <Flex gap={8} wrap>
              <Select value={kind} onChange={setKind} options={kinds.map((k) => ({ value: k, label: t(`ag.rec.kind.${k}`) }))} style={{ width: 120 }} />
              <DatePicker value={date} allowClear={false} onChange={(d) => d && setDate(d)} disabledDate={(d) => d.isAfter(dayjs().endOf('day'))} />
            </Flex>
            <Input.TextArea rows={2} maxLength={1000} placeholder={t('ag.rec.summary')} value={summary} onChange={(e) => setSummary(e.target.value)} />
            <Button disabled={summary.trim().length < 5} loading={busy} onClick={() => void send()}>
              {t('ag.rec.add')}
            </Button>
          </>
        )}
      </Flex>
    </Card>
  );
}

interface AgencyFormValues {
  name: string;
  uscc: string;
  serviceTypes: ServiceType[];
  approvedBy: string;
  supervisedBy?: string;
  address?: string;
  contactName?: string;
  contactPhone?: string;
  qualifications?: { name: string; issuer: string; number: string; expiresOn: dayjs.Dayjs }[];
  staff?: { name: string; certificate: string; certificateNo: string }[];
}

/** 登记机构: the entry, its qualifications and staff, filed under the officer's office. */
function AgencyForm({ onClose, onDone }: { onClose: () => void; onDone: (id: string) => void }) {
  const t = useT();
  const { lang } = useLang();
  const phone = useIsPhone();
  const [form] = Form.useForm<AgencyFormValues>();
  const { message } = App.useApp();
  const { busy, formError, onFinish } = useFormSubmit<AgencyFormValues>(
    form,
    async (v) => {
      const made = await api.post<AgencyDetail>('/api/agencies', {
        ...v,
        supervisedBy: v.supervisedBy?.trim() || undefined,
        address: v.address?.trim() || undefined,
        contactName: v.contactName?.trim() || undefined,
        contactPhone: v.contactPhone?.trim() || undefined,
        qualifications: (v.qualifications ?? []).map((q) => ({ ...q, expiresOn: q.expiresOn.format('YYYY-MM-DD') })),
        staff: v.staff ?? [],
      });
      message.success(t('ag.form.done'));
      onDone(made.id);
      onClose();
    },
    { codeFields: { DUPLICATE_USCC: 'uscc', INVALID_USCC: 'uscc' } },
  );
  return (
    <Drawer open title={t('ag.form.title')} size={phone ? '100%' : 640} onClose={onClose} footer={<DrawerFooter onCancel={onClose} onSubmit={() => form.submit()} busy={busy} testId="ag-form-submit" />} data-testid="ag-form">
      <Form form={form} layout="vertical" requiredMark="optional" onFinish={(v) => void onFinish(v)}>
        <FormError error={formError} />
        <Form.Item name="name" label={t('ag.col.name')} rules={[{ required: true, message: t('ag.col.name') }]}>
          <Input maxLength={100} data-testid="ag-form-name" />
        </Form.Item>
        <Form.Item name="uscc" label={t('ag.uscc')} rules={[{ required: true, len: 18, message: t('ag.uscc') }]}>
          <Input maxLength={18} data-testid="ag-form-uscc" />
        </Form.Item>
        <Form.Item name="serviceTypes" label={t('ag.form.services')} rules={[{ required: true, message: t('ag.form.services') }]}>
          <Checkbox.Group options={SERVICE_TYPES.map((s) => ({ value: s, label: pick(lang, SERVICE_TYPE_LABELS[s]) }))} />
        </Form.Item>
        <Form.Item name="approvedBy" label={t('ag.form.approvedBy')} rules={[{ required: true, message: t('ag.form.approvedBy') }]}>
          <Input maxLength={100} data-testid="ag-form-approved" />
        </Form.Item>
        <Form.Item name="supervisedBy" label={t('ag.form.supervisedBy')}>
          <Input maxLength={100} />
        </Form.Item>
        <Flex gap={8} wrap>
          <Form.Item name="contactName" label={t('ag.contact')} style={{ flex: 1, minWidth: 160 }}>
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="contactPhone" label={t('ag.contactPhone')} style={{ flex: 1, minWidth: 160 }}>
            <Input maxLength={20} />
          </Form.Item>
        </Flex>
        <Form.Item name="address" label={t('ag.address')}>
          <Input maxLength={200} />
        </Form.Item>
        <Typography.Title level={5}>{t('ag.quals')}</Typography.Title>
        <Form.List name="qualifications">
          {(fields, { add, remove }) => (
            <Flex vertical gap={4}>
              {fields.map((f) => (
                <Flex key={f.key} gap={6} wrap align="baseline">
                  <Form.Item name={[f.name, 'name']} rules={[{ required: true, message: t('ag.qual.name') }]} style={{ flex: 2, minWidth: 140 }}>
                    <Input placeholder={t('ag.qual.name')} maxLength={100} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'issuer']} rules={[{ required: true, message: t('ag.qual.issuer') }]} style={{ flex: 2, minWidth: 140 }}>
                    <Input placeholder={t('ag.qual.issuer')} maxLength={100} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'number']} rules={[{ required: true, message: t('ag.qual.number') }]} style={{ flex: 1, minWidth: 110 }}>
                    <Input placeholder={t('ag.qual.number')} maxLength={60} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'expiresOn']} rules={[{ required: true, message: t('ag.qual.expires') }]}>
                    <DatePicker placeholder={t('ag.qual.expires')} inputReadOnly={phone} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} />
                </Flex>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()} data-testid="ag-form-add-qual">
                {t('ag.qual.add')}
              </Button>
            </Flex>
          )}
        </Form.List>
        <Typography.Title level={5} style={{ marginTop: 16 }}>
          {t('ag.staff')}
        </Typography.Title>
        <Form.List name="staff">
          {(fields, { add, remove }) => (
            <Flex vertical gap={4}>
              {fields.map((f) => (
                <Flex key={f.key} gap={6} wrap align="baseline">
                  <Form.Item name={[f.name, 'name']} rules={[{ required: true, message: t('ag.staff.name') }]} style={{ flex: 1, minWidth: 100 }}>
                    <Input placeholder={t('ag.staff.name')} maxLength={40} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'certificate']} rules={[{ required: true, message: t('ag.staff.cert') }]} style={{ flex: 2, minWidth: 140 }}>
                    <Input placeholder={t('ag.staff.cert')} maxLength={100} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'certificateNo']} rules={[{ required: true, message: t('ag.staff.certNo') }]} style={{ flex: 1, minWidth: 110 }}>
                    <Input placeholder={t('ag.staff.certNo')} maxLength={60} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} />
                </Flex>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()}>
                {t('ag.staff.add')}
              </Button>
            </Flex>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}

function EngagementsView({ params, set }: ViewProps) {
  const t = useT();
  const me = useMe();
  const { lang } = useLang();
  const phone = useIsPhone();
  const navigate = useNavigate();
  const page = Number(params.get('page') ?? 1);
  const status = params.get('status') ?? undefined;
  const agencyId = params.get('agencyId') ?? undefined;
  const [adding, setAdding] = useState(false);
  const list = useAsync((signal) => api.get<ListResult<Engagement>>('/api/agency-engagements', { status, agencyId, page, pageSize: 20 }, signal), [status, agencyId, page]);
  const agency = useAsync(async (signal) => (agencyId ? api.get<AgencyDetail>(`/api/agencies/${encodeURIComponent(agencyId)}`, undefined, signal) : null), [agencyId]);
  const columns: TableColumnsType<Engagement> = [
    { key: 'enterprise', title: t('ag.eng.col.enterprise'), render: (_, e) => <Link to={`/agencies/engagements/${e.id}`} data-testid="ag-eng-open">{e.enterpriseName}</Link> },
    {
      key: 'agency',
      title: t('ag.eng.col.agency'),
      render: (_, e) => (
        <Space size={4} wrap>
          {e.agencyName}
          {e.agencyWarnings.length > 0 && <Tag color="red" title={e.agencyWarnings.join('；')}>{t('ag.warnings')}</Tag>}
        </Space>
      ),
    },
    { key: 'service', title: t('ag.eng.col.service'), render: (_, e) => pick(lang, SERVICE_TYPE_LABELS[e.serviceType]) },
    { key: 'period', title: t('ag.eng.col.period'), render: (_, e) => `${formatDate(e.from)} — ${formatDate(e.to)}` },
    { key: 'status', title: t('ag.eng.col.status'), render: (_, e) => <Tag color={e.status === 'concluded' ? 'green' : 'blue'}>{pick(lang, ENGAGEMENT_STATUS_LABELS[e.status])}</Tag> },
    { key: 'findings', title: t('ag.eng.col.findings'), align: 'right', render: (_, e) => (e.majorFindings ? `${e.findings}（${t('enf.majorOf', { n: e.majorFindings })}）` : e.findings) },
  ];
  return (
    <>
      <TableCard<Engagement>
        before={
          <Flex gap={8} wrap align="center" justify="space-between">
            <Space wrap>
              <Tabs activeKey={status ?? ''} onChange={(k) => set({ status: k || null, page: null })} items={['', 'in_service', 'concluded'].map((s) => ({ key: s, label: s ? pick(lang, ENGAGEMENT_STATUS_LABELS[s as 'in_service']) : t('enf.all') }))} />
              {agencyId && (
                <Tag closable onClose={() => set({ agencyId: null, page: null })} data-testid="ag-eng-agency-filter">
                  {agency.data?.name ?? t('ag.eng.col.agency')}
                </Tag>
              )}
            </Space>
            {recordsEngagements(me) && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="ag-eng-add">
                {t('ag.eng.add')}
              </Button>
            )}
          </Flex>
        }
        list={list}
        columns={phone ? columns.filter((c) => ['enterprise', 'agency', 'status'].includes(String(c.key))) : columns}
        empty={t('ag.eng.none')}
        testId="ag-eng-table"
        paging={{ page, onChange: (p) => set({ page: p > 1 ? String(p) : null }) }}
        onRowClick={(e) => navigate(`/agencies/engagements/${e.id}`)}
      />
      {adding && <EngagementForm onClose={() => setAdding(false)} onDone={(id) => navigate(`/agencies/engagements/${id}`)} />}
    </>
  );
}

async function searchAgencies(q: string, signal: AbortSignal) {
  const list = await api.get<ListResult<Agency>>('/api/agencies', { q: q || undefined, pageSize: 20 }, signal);
  return list.items.map((a) => ({ value: a.id, label: `${a.name}（${a.uscc}）`, record: a }));
}

/** 登记委托: the agency's warnings are shown as soon as it is chosen, and must be acknowledged. */
function EngagementForm({ onClose, onDone }: { onClose: () => void; onDone: (id: string) => void }) {
  const t = useT();
  const me = useMe();
  const { lang } = useLang();
  const phone = useIsPhone();
  const [enterpriseId, setEnterpriseId] = useState<string | undefined>(me.role === 'enterprise' ? (me.enterpriseId ?? undefined) : undefined);
  const [agency, setAgency] = useState<Agency | undefined>();
  const [serviceType, setServiceType] = useState<ServiceType | undefined>();
  const [range, setRange] = useState<[dayjs.Dayjs, dayjs.Dayjs]>([dayjs(), dayjs().add(1, 'year').subtract(1, 'day')]);
  const [fileIds, setFileIds] = useState<string[]>([]);
  const [uploading, setUploading] = useState(false);
  const [ack, setAck] = useState(false);
  const { busy, error, setError, run } = useAction();
  const send = async () => {
    if (!enterpriseId) return setError(t('ag.eng.form.enterpriseNeeded'));
    if (!agency) return setError(t('ag.eng.form.agencyNeeded'));
    if (agency.warnings.length && !ack) return setError(t('ag.eng.form.ackNeeded'));
    if (!serviceType) return setError(t('ag.eng.form.serviceNeeded'));
    const body = { enterpriseId, agencyId: agency.id, serviceType, from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD'), fileIds: fileIds.length ? fileIds : undefined, acknowledgeWarnings: agency.warnings.length ? ack : undefined };
    let made: EngagementDetail | undefined;
    if (await run(async () => (made = await api.post<EngagementDetail>('/api/agency-engagements', body)), t('ag.eng.form.done'))) onDone(made!.id);
  };
  return (
    <Drawer
      open
      title={t('ag.eng.form.title')}
      size={phone ? '100%' : 520}
      onClose={onClose}
      footer={<DrawerFooter onCancel={onClose} onSubmit={() => void send()} busy={busy || uploading} testId="ag-eng-submit" />}
      data-testid="ag-eng-form"
    >
      <Flex vertical gap={12}>
        <FormError error={error} />
        {me.role !== 'enterprise' && (
          <>
            <Typography.Text>{t('ag.eng.form.enterprise')}</Typography.Text>
            <EnterpriseSelect value={enterpriseId} onChange={(v) => setEnterpriseId(v)} data-testid="ag-eng-enterprise" />
          </>
        )}
        <Typography.Text>{t('ag.eng.form.agency')}</Typography.Text>
        <RemoteSelect<Agency>
          value={agency?.id}
          onChange={(_, a) => {
            setAgency(a);
            setAck(false);
            setServiceType(a?.serviceTypes.length === 1 ? a.serviceTypes[0] : undefined);
          }}
          search={searchAgencies}
          placeholder={t('ag.eng.form.agencyPh')}
          data-testid="ag-eng-agency"
        />
        {agency && <AgencyWarnings warnings={agency.warnings} testId="ag-eng-warnings" />}
        {agency && agency.warnings.length > 0 && (
          <Checkbox checked={ack} onChange={(e) => setAck(e.target.checked)} data-testid="ag-eng-ack">
            {t('ag.eng.form.ack')}
          </Checkbox>
        )}
        <Typography.Text>{t('ag.eng.form.service')}</Typography.Text>
        <Select value={serviceType} onChange={setServiceType} options={(agency?.serviceTypes ?? []).map((s) => ({ value: s, label: pick(lang, SERVICE_TYPE_LABELS[s]) }))} data-testid="ag-eng-service" />
        <Typography.Text>{t('ag.eng.form.period')}</Typography.Text>
        <DatePicker.RangePicker value={range} inputReadOnly={phone} allowClear={false} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} />
        <Typography.Text>{t('ag.eng.form.contract')}</Typography.Text>
        <EvidenceUpload value={fileIds} onChange={setFileIds} onUploadingChange={setUploading} data-testid="ag-eng-contract" />
      </Flex>
    </Drawer>
  );
}
