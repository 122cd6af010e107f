import { PaperClipOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, DatePicker, Drawer, Flex, Form, Input, Modal, Radio, Segmented, Select, Space, Tabs, Tag, Typography } from 'antd';
import type { ButtonProps, TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { z } from 'zod';
import { FIVE_LEAD_STATES, FIVE_LEAD_STATE_LABELS } from '../../../shared/contracts/tasks';
import type { FiveLeadItem, FiveLeadMissing, FiveLeadRecord } from '../../../shared/contracts/tasks';
import { shanghaiDate } from '../../../shared/dates';
import { api, ApiError, fileUrl } from '../../api';
import type { ListResult } from '../../api';
import { Clip } from '../../components/Clip';
import { EnterpriseSelect } from '../../components/EnterpriseSelect';
import { EvidenceUpload } from '../../components/EvidenceUpload';
import { DrawerFooter, FormError, useAction, useFormSubmit } from '../../components/FormParts';
import { PageHeader } from '../../components/PageHeader';
import { DistrictSelect } from '../../components/RegionSelects';
import { TableCard } from '../../components/TableCard';
import { XlsxButton } from '../../components/XlsxButton';
import { formatDate, formatDateTime, scopeOf } from '../../format';
import { useAsync, useIsPhone, useUrlParams } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import type { Lang, Translate } from '../../i18n';
import { useMe } from '../../session';
import type { Cell } from '../../xlsx';
import { checksFiveLeads, hasPlan, recordsFiveLeads } from './access';
import { afterToday, fetchAll, planYears } from './shared';
import './plan.css';

type Item = z.infer<typeof FiveLeadItem>;
type Missing = z.infer<typeof FiveLeadMissing>;
type State = (typeof FIVE_LEAD_STATES)[number];
type View = 'records' | 'missing';
const STATE_COLORS: Record<State, string> = { submitted: 'gold', checked: 'green', returned: 'red' };
const thisYear = () => Number(shanghaiDate(new Date()).slice(0, 4));

/** 五带头: enterprise principals' records per item, entered by the enterprise with evidence, checked by the street or district; and who has none this year. */
export default function FiveLeadsPage() {
  const t = useT();
  const me = useMe();
  const { params, set } = useUrlParams();
  const officer = hasPlan(me);
  const year = Number(params.get('year') ?? thisYear());
  const view: View = officer && params.get('view') === 'missing' ? 'missing' : 'records';
  const items = useAsync((signal) => api.get<Item[]>('/api/five-leads/items', undefined, signal), []);
  const [adding, setAdding] = useState(false);
  const [reloadKey, setReloadKey] = useState(0);
  return (
    <div className="zb-page">
      <PageHeader
        title={t('plan.fl.title')}
        subTitle={t('plan.fl.subTitle')}
        extra={
          <>
            <Select value={year} onChange={(v) => set({ year: v === thisYear() ? null : String(v), page: null })} options={planYears(thisYear()).map((y) => ({ value: y, label: t('plan.year', { y }) }))} style={{ width: 110 }} aria-label={t('plan.yearLabel')} />
            {recordsFiveLeads(me) && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} disabled={!items.data?.length} data-testid="plan-fl-add">
                {t('plan.fl.add')}
              </Button>
            )}
          </>
        }
      />
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <ItemsNote items={items.data} />
        {officer && (
          <Segmented<View>
            value={view}
            onChange={(v) => set({ view: v === 'records' ? null : v, page: null, state: null })}
            options={[
              { value: 'records', label: t('plan.fl.view.records') },
              { value: 'missing', label: <span data-testid="plan-fl-view-missing">{t('plan.fl.view.missing')}</span> },
            ]}
          />
        )}
        {view === 'missing' ? <MissingView year={year} params={params} set={set} /> : <RecordsView year={year} items={items.data ?? []} params={params} set={set} reloadKey={reloadKey} />}
      </Space>
      {adding && items.data && (
        <AddDrawer
          items={items.data}
          onClose={() => setAdding(false)}
          onDone={(r) => {
            setAdding(false);
            setReloadKey((k) => k + 1);
            if (r.year !== year) set({ year: r.year === thisYear() ? null : String(r.year), view: null, page: null });
          }}
        />
      )}
    </div>
  );
}

/** The 五带头 items are configuration: those not yet confirmed against the guiding opinion's text say so. */
function ItemsNote({ items }: { items: Item[] | undefined }) {
  const t = useT();
  if (!items?.length) return null;
  const unconfirmed = items.some((i) => !i.confirmed);
  return (
    <Alert
      type={unconfirmed ? 'warning' : 'info'}
      showIcon
      title={t('plan.fl.items')}
      description={
        <Flex vertical gap={4}>
          <Flex wrap gap="4px 20px">
            {items.map((i, k) => (
              <span key={i.key}>
                {`${k + 1}. ${i.title}`}
                {!i.confirmed && <Tag style={{ marginInlineStart: 6 }}>{t('plan.fl.unconfirmed')}</Tag>}
              </span>
            ))}
          </Flex>
          {unconfirmed && <Typography.Text type="secondary">{t('plan.fl.unconfirmedNote')}</Typography.Text>}
        </Flex>
      }
      data-testid="plan-fl-items"
    />
  );
}

interface ViewProps {
  year: number;
  params: URLSearchParams;
  set: (patch: Record<string, string | null>) => void;
}

function RecordsView({ year, items, params, set, reloadKey }: ViewProps & { items: Item[]; reloadKey: number }) {
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const phone = useIsPhone();
  const state = (params.get('state') as State | null) ?? undefined;
  const itemKey = params.get('item') ?? undefined;
  const districtCode = params.get('districtCode') ?? undefined;
  const page = Number(params.get('page') ?? 1);
  const [checking, setChecking] = useState<FiveLeadRecord | null>(null);
  const [tick, setTick] = useState(0);
  const query = { year, state, itemKey, districtCode };
  const list = useAsync((signal) => api.get<ListResult<FiveLeadRecord>>('/api/five-leads', { ...query, page, pageSize: 20 }, signal), [year, state, itemKey, districtCode, page, reloadKey, tick]);
  const enterprise = me.role === 'enterprise';
  const columns: TableColumnsType<FiveLeadRecord> = [
    ...(enterprise ? [] : [{ key: 'enterprise', title: t('plan.fl.enterprise'), render: (_: unknown, r: FiveLeadRecord) => <Link to={`/enterprises/${r.enterpriseId}`}>{r.enterpriseName}</Link> }]),
    { key: 'item', title: t('plan.fl.item'), render: (_, r) => r.itemTitle },
    { key: 'principal', title: t('plan.fl.principal'), render: (_, r) => r.principalName },
    { key: 'on', title: t('plan.fl.happenedOn'), render: (_, r) => formatDate(r.happenedOn) },
    {
      key: 'desc',
      title: t('plan.fl.description'),
      render: (_, r) => (
        <div>
          <Clip text={r.description} wide />
          {r.attachmentIds.map((f, i) => (
            <a key={f} href={fileUrl(f)} target="_blank" rel="noopener noreferrer" style={{ marginInlineEnd: 8 }}>
              <PaperClipOutlined /> {t('plan.attachment', { n: i + 1 })}
            </a>
          ))}
        </div>
      ),
    },
    {
      key: 'state',
      title: t('plan.col.status'),
      render: (_, r) => (
        <div>
          <Tag color={STATE_COLORS[r.state]} data-testid="plan-fl-state">
            {pick(lang, FIVE_LEAD_STATE_LABELS[r.state])}
          </Tag>
          {r.checkedByName && <div className="zb-muted">{`${r.checkedByName} · ${formatDateTime(r.checkedAt)}`}</div>}
          {r.checkNote && <div className="zb-muted">{r.checkNote}</div>}
        </div>
      ),
    },
    ...(checksFiveLeads(me)
      ? [
          {
            key: 'act',
            title: '',
            render: (_: unknown, r: FiveLeadRecord) =>
              r.state === 'submitted' && (
                <Button size="small" onClick={() => setChecking(r)} data-testid="plan-fl-check">
                  {t('plan.fl.check')}
                </Button>
              ),
          },
        ]
      : []),
  ];
  return (
    <>
      <TableCard<FiveLeadRecord>
        before={
          <>
            <Flex gap={12} wrap style={{ marginBottom: 4 }}>
              <div className="zb-plan-filter zb-plan-filter-wide">
                <Select allowClear value={itemKey} onChange={(v: string | undefined) => set({ item: v ?? null, page: null })} placeholder={t('plan.fl.item')} options={items.map((i) => ({ value: i.key, label: i.title }))} style={{ width: '100%' }} />
              </div>
              {scopeOf(me.regionCode).level === 'city' && !enterprise && (
                <div className="zb-plan-filter">
                  <DistrictSelect value={districtCode} onChange={(v) => set({ districtCode: v ?? null, page: null })} placeholder={t('plan.filter.district')} />
                </div>
              )}
              <XlsxButton
                fileName={t('plan.fl.recordsName', { year })}
                rows={async () => recordsSheet(await fetchAll<FiveLeadRecord>('/api/five-leads', query), t, lang)}
                disabled={!list.data?.total}
                style={{ marginInlineStart: 'auto' }}
                data-testid="plan-fl-export"
              >
                {t('plan.export')}
              </XlsxButton>
            </Flex>
            <Tabs
              activeKey={state ?? ''}
              onChange={(k) => set({ state: k || null, page: null })}
              items={['', ...FIVE_LEAD_STATES].map((s) => ({ key: s, label: s ? pick(lang, FIVE_LEAD_STATE_LABELS[s as State]) : t('common.all') }))}
            />
          </>
        }
        list={list}
        columns={phone ? columns.filter((c) => ['enterprise', 'item', 'state', 'act'].includes(String(c.key))) : columns}
        empty={t('plan.fl.none')}
        testId="plan-fl-table"
        paging={{ page, onChange: (p) => set({ page: p > 1 ? String(p) : null }) }}
      />
      {checking && (
        <CheckModal
          record={checking}
          onClose={() => setChecking(null)}
          onDone={() => {
            setChecking(null);
            setTick((n) => n + 1);
          }}
        />
      )}
    </>
  );
}

/** 审核: accept the record, or return it to the enterprise with the reason. */
function CheckModal({ record, onClose, onDone }: { record: FiveLeadRecord; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const [decision, setDecision] = useState<'accept' | 'return'>('accept');
  const [note, setNote] = useState('');
  const { busy, error, run } = useAction();
  const send = async () => {
    const body = { version: record.version, decision, note: note.trim() || undefined };
    if (await run(() => api.post(`/api/five-leads/${encodeURIComponent(record.id)}/check`, body), t('plan.fl.checked'), (err) => err instanceof ApiError && err.code === 'VERSION_CONFLICT' && onDone())) onDone();
  };
  return (
    <Modal
      open
      title={`${t('plan.fl.check')} · ${record.enterpriseName}`}
      onCancel={onClose}
      onOk={() => void send()}
      okButtonProps={{ loading: busy, disabled: decision === 'return' && note.trim().length < 2, 'data-testid': 'plan-fl-check-submit' } as ButtonProps}
    >
      <FormError error={error} />
      <Typography.Paragraph>
        <Typography.Text strong>{record.itemTitle}</Typography.Text> · {record.principalName} · {formatDate(record.happenedOn)}
      </Typography.Paragraph>
      <Typography.Paragraph className="zb-pre">{record.description}</Typography.Paragraph>
      <Radio.Group value={decision} onChange={(e) => setDecision(e.target.value as 'accept' | 'return')} options={[{ value: 'accept', label: t('plan.fl.accept') }, { value: 'return', label: t('plan.fl.return') }]} style={{ marginBottom: 8 }} />
      <Input.TextArea rows={3} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} placeholder={decision === 'return' ? t('plan.fl.returnPh') : t('plan.fl.notePh')} />
    </Modal>
  );
}

/** 未记录: enterprises in scope with no record this year (or only returned ones), for the 通报. */
function MissingView({ year, params, set }: ViewProps) {
  const t = useT();
  const me = useMe();
  const districtCode = params.get('districtCode') ?? undefined;
  const page = Number(params.get('page') ?? 1);
  const query = { year, districtCode };
  const list = useAsync((signal) => api.get<ListResult<Missing>>('/api/five-leads/missing', { ...query, page, pageSize: 20 }, signal), [year, districtCode, page]);
  const columns: TableColumnsType<Missing> = [
    { key: 'name', title: t('plan.fl.enterprise'), render: (_, m) => <Link to={`/enterprises/${m.enterpriseId}`}>{m.name}</Link> },
    { key: 'district', title: t('plan.filter.district'), render: (_, m) => m.districtName },
    { key: 'street', title: t('plan.fl.street'), render: (_, m) => m.streetName ?? '—' },
    { key: 'principal', title: t('plan.fl.principal'), render: (_, m) => m.principalName ?? '—' },
    { key: 'records', title: t('plan.fl.recordsCol'), render: (_, m) => (m.records ? t('plan.fl.onlyReturned', { n: m.records }) : <Typography.Text type="danger">{t('plan.fl.noRecord')}</Typography.Text>) },
  ];
  return (
    <TableCard<Missing>
      title={t('plan.fl.missingTitle', { year })}
      extra={
        <Flex gap={8} align="center">
          {scopeOf(me.regionCode).level === 'city' && (
            <div style={{ width: 160 }}>
              <DistrictSelect value={districtCode} onChange={(v) => set({ districtCode: v ?? null, page: null })} placeholder={t('plan.filter.district')} />
            </div>
          )}
          <XlsxButton
            size="small"
            fileName={t('plan.fl.missingTitle', { year })}
            rows={async () => missingSheet(await fetchAll<Missing>('/api/five-leads/missing', query), t)}
            disabled={!list.data?.total}
            data-testid="plan-fl-missing-export"
          >
            {t('plan.export')}
          </XlsxButton>
        </Flex>
      }
      rowKey="enterpriseId"
      list={list}
      columns={columns}
      empty={t('plan.fl.noneMissing')}
      testId="plan-fl-missing"
      paging={{ page, onChange: (p) => set({ page: p > 1 ? String(p) : null }) }}
    />
  );
}

/** The records as a sheet, with their check. */
function recordsSheet(records: FiveLeadRecord[], t: Translate, lang: Lang): Cell[][] {
  return [
    [t('plan.fl.enterprise'), t('plan.fl.item'), t('plan.fl.principal'), t('plan.fl.happenedOn'), t('plan.fl.description'), t('plan.report.evidence'), t('plan.col.status'), t('plan.fl.checkedBy'), t('plan.fl.checkedAt'), t('plan.fl.checkNote')],
    ...records.map((r) => [r.enterpriseName, r.itemTitle, r.principalName, r.happenedOn, r.description, r.attachmentIds.length, pick(lang, FIVE_LEAD_STATE_LABELS[r.state]), r.checkedByName, r.checkedAt ? formatDateTime(r.checkedAt) : null, r.checkNote]),
  ];
}

/** 未记录 as a sheet, for the 通报. */
function missingSheet(rows: Missing[], t: Translate): Cell[][] {
  return [
    [t('plan.fl.enterprise'), t('plan.filter.district'), t('plan.fl.street'), t('plan.fl.principal'), t('plan.fl.recordsCol')],
    ...rows.map((m) => [m.name, m.districtName, m.streetName, m.principalName, m.records ? t('plan.fl.onlyReturned', { n: m.records }) : t('plan.fl.noRecord')]),
  ];
}

interface AddValues {
  enterpriseId?: string;
  itemKey: string;
  principalName: string;
  happenedOn: dayjs.Dayjs;
  description: string;
  attachmentIds?: string[];
}

/** 新增记录: an enterprise records its own; an officer records for an enterprise in scope. */
function AddDrawer({ items, onClose, onDone }: { items: Item[]; onClose: () => void; onDone: (r: FiveLeadRecord) => void }) {
  const t = useT();
  const me = useMe();
  const phone = useIsPhone();
  const { message } = App.useApp();
  const [form] = Form.useForm<AddValues>();
  const [uploading, setUploading] = useState(false);
  const enterprise = me.role === 'enterprise';
  const { busy, formError, onFinish } = useFormSubmit<AddValues>(form, async (v) => {
    const made = await api.post<FiveLeadRecord>('/api/five-leads', {
      enterpriseId: enterprise ? undefined : v.enterpriseId,
      itemKey: v.itemKey,
      principalName: v.principalName.trim(),
      happenedOn: v.happenedOn.format('YYYY-MM-DD'),
      description: v.description.trim(),
      attachmentIds: v.attachmentIds ?? [],
    });
    void message.success(t('plan.fl.added'));
    onDone(made);
  });
  return (
    <Drawer
      open
      title={t('plan.fl.add')}
      size={phone ? '100%' : 520}
      onClose={onClose}
      footer={<DrawerFooter onCancel={onClose} onSubmit={() => form.submit()} busy={busy || uploading} testId="plan-fl-submit" />}
      data-testid="plan-fl-drawer"
    >
      <Form form={form} layout="vertical" onFinish={(v) => void onFinish(v)}>
        <FormError error={formError} />
        {!enterprise && (
          <Form.Item name="enterpriseId" label={t('plan.fl.enterprise')} rules={[{ required: true, message: t('common.select', { field: t('plan.fl.enterprise') }) }]}>
            <EnterpriseSelect />
          </Form.Item>
        )}
        <Form.Item name="itemKey" label={t('plan.fl.item')} rules={[{ required: true, message: t('common.select', { field: t('plan.fl.item') }) }]}>
          <Select options={items.map((i) => ({ value: i.key, label: i.confirmed ? i.title : `${i.title}（${t('plan.fl.unconfirmed')}）` }))} data-testid="plan-fl-item" />
        </Form.Item>
        <Form.Item name="principalName" label={t('plan.fl.principal')} rules={[{ required: true, whitespace: true, min: 2, message: t('common.required', { field: t('plan.fl.principal') }) }]}>
          <Input maxLength={40} data-testid="plan-fl-principal" />
        </Form.Item>
        <Form.Item name="happenedOn" label={t('plan.fl.happenedOn')} rules={[{ required: true, message: t('common.select', { field: t('plan.fl.happenedOn') }) }]}>
          <DatePicker style={{ width: '100%' }} disabledDate={afterToday} inputReadOnly={phone} />
        </Form.Item>
        <Form.Item name="description" label={t('plan.fl.description')} rules={[{ required: true, whitespace: true, min: 5, message: t('plan.fl.descriptionMin') }]}>
          <Input.TextArea rows={4} maxLength={2000} showCount data-testid="plan-fl-description" />
        </Form.Item>
        <Form.Item name="attachmentIds" label={t('plan.report.evidence')} extra={t('upload.fileTypes')}>
          <EvidenceUpload max={20} onUploadingChange={setUploading} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
