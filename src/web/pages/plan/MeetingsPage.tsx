import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, DatePicker, Drawer, Empty, Flex, Form, Input, Row, Select, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import type { HTMLAttributes } from 'react';
import { CHAIR_ROLES, CHAIR_ROLE_LABELS } from '../../../shared/contracts/tasks';
import type { Compliance, Meeting } from '../../../shared/contracts/tasks';
import { shanghaiDate } from '../../../shared/dates';
import { api } from '../../api';
import type { ListResult } from '../../api';
import { EvidenceUpload } from '../../components/EvidenceUpload';
import { BlockLoading, ErrorState } from '../../components/Feedback';
import { DrawerFooter, FormError, useFormSubmit } from '../../components/FormParts';
import { PageHeader } from '../../components/PageHeader';
import { TableCard } from '../../components/TableCard';
import { XlsxButton } from '../../components/XlsxButton';
import { useAsync, useIsPhone, useUrlParams } from '../../hooks';
import type { AsyncState } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { useMe } from '../../session';
import { isCityLevel, keepsUnitRecords } from './access';
import { CellTag, complianceSheet, meetingsSheet, useMeetingColumns } from './MeetingParts';
import type { ComplianceRow } from './MeetingParts';
import { afterToday, fetchAll, MeasureSelect, planYears, RemovableCard, unitKey, unitOf, unitQuery, UnitLink, UnitSelect } from './shared';
import './plan.css';

const thisYear = () => Number(shanghaiDate(new Date()).slice(0, 4));

/** 党政主要负责人安全生产会议: the quarterly compliance of each unit, the meetings held, and the form to record one. */
export default function MeetingsPage() {
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const { params, set } = useUrlParams();
  const year = Number(params.get('year') ?? thisYear());
  const unit = params.get('unit') ?? undefined;
  const page = Number(params.get('page') ?? 1);
  const [reloadKey, setReloadKey] = useState(0);
  const [recording, setRecording] = useState(false);
  const phone = useIsPhone();
  const columns = useMeetingColumns();
  const compliance = useAsync((signal) => api.get<Compliance>('/api/meetings/compliance', { year }, signal), [year, reloadKey]);
  const unitFilter = unit ? unitQuery(unitOf(unit)) : {};
  const query = { year, districtCode: unitFilter.districtCode, departmentId: unitFilter.departmentId };
  const list = useAsync((signal) => api.get<ListResult<Meeting>>('/api/meetings', { ...query, page, pageSize: 20 }, signal), [year, unit, page, reloadKey]);
  return (
    <div className="zb-page">
      <PageHeader
        title={t('plan.mt.title')}
        subTitle={t('plan.mt.rule')}
        extra={
          <>
            <Select value={year} onChange={(v) => set({ year: v === thisYear() ? null : String(v), page: null })} options={planYears(thisYear()).map((y) => ({ value: y, label: t('plan.year', { y }) }))} style={{ width: 110 }} aria-label={t('plan.yearLabel')} data-testid="plan-mt-year" />
            {keepsUnitRecords(me) && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setRecording(true)} data-testid="plan-mt-add">
                {t('plan.mt.add')}
              </Button>
            )}
          </>
        }
      />
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <ComplianceCard state={compliance} unit={unit} onUnit={(u) => set({ unit: u, page: null })} />
        <TableCard<Meeting>
          title={t('plan.mt.list')}
          extra={
            <Flex gap={8} align="center">
              {isCityLevel(me) && (
                <div style={{ width: 220 }}>
                  <UnitSelect value={unit} onChange={(v) => set({ unit: v ?? null, page: null })} placeholder={t('plan.mt.allUnits')} withCity={false} data-testid="plan-mt-unit" />
                </div>
              )}
              <XlsxButton
                size="small"
                fileName={`${t('plan.mt.exportName')}-${year}`}
                rows={async () => meetingsSheet(await fetchAll<Meeting>('/api/meetings', query), t, lang)}
                disabled={!list.data?.total}
                data-testid="plan-mt-export"
              >
                {t('plan.export')}
              </XlsxButton>
            </Flex>
          }
          list={list}
          columns={phone ? columns.filter((c) => c.key === 'heldOn' || c.key === 'title') : columns}
          empty={t('plan.mt.none')}
          testId="plan-mt-table"
          paging={{ page, onChange: (p) => set({ page: p > 1 ? String(p) : null }) }}
        />
      </Space>
      {recording && (
        <RecordDrawer
          onClose={() => setRecording(false)}
          onDone={(m) => {
            setRecording(false);
            setReloadKey((k) => k + 1);
            const held = Number(m.heldOn.slice(0, 4));
            if (held !== year) set({ year: held === thisYear() ? null : String(held), page: null });
          }}
        />
      )}
    </div>
  );
}

/** Units × quarters: held (green, with the count), missed (red), the current quarter and those to come (grey). */
function ComplianceCard({ state, unit, onUnit }: { state: AsyncState<Compliance>; unit?: string; onUnit: (u: string | null) => void }) {
  const t = useT();
  const me = useMe();
  const c = state.data;
  const columns: TableColumnsType<ComplianceRow> = [
    { key: 'unit', title: t('plan.unit'), fixed: 'left', render: (_, r) => <Typography.Text strong={unit === unitKey(r.unit)}><UnitLink unit={r.unit} /></Typography.Text> },
    ...(c?.quarters ?? []).map((q) => ({
      key: `q${q}`,
      title: t('plan.mt.quarter', { q }),
      className: 'zb-compliance-cell',
      render: (_: unknown, r: ComplianceRow) => {
        const cell = r.cells.find((x) => x.quarter === q);
        return cell ? <CellTag cell={cell} /> : '—';
      },
    })),
    { key: 'missed', title: t('plan.mt.missedCol'), align: 'right', render: (_, r) => (r.missed ? <Typography.Text type="danger">{r.missed}</Typography.Text> : 0) },
  ];
  return (
    <Card
      className="zb-card"
      size="small"
      title={c ? t('plan.mt.matrix', { year: c.year }) : t('plan.mt.matrix', { year: '' })}
      extra={
        c && (
          <Flex gap={12} align="center">
            {c.missed > 0 ? (
              <Typography.Text type="danger" data-testid="plan-compliance-missed">
                {t('plan.mt.missedTotal', { n: c.missed })}
              </Typography.Text>
            ) : (
              <Typography.Text type="success">{t('plan.mt.noneMissed')}</Typography.Text>
            )}
            <XlsxButton size="small" fileName={t('plan.mt.matrix', { year: c.year })} rows={complianceSheet(c, t)} disabled={!c.units.length} data-testid="plan-compliance-export">
              {t('plan.export')}
            </XlsxButton>
          </Flex>
        )
      }
    >
      {state.error && !state.loading ? (
        <ErrorState error={state.error} onRetry={state.reload} />
      ) : !c ? (
        <BlockLoading />
      ) : (
        <Table<ComplianceRow>
          className="zb-compliance"
          rowKey={(r) => unitKey(r.unit)}
          size="small"
          bordered
          columns={columns}
          dataSource={c.units}
          pagination={c.units.length > 30 ? { pageSize: 30, showSizeChanger: false } : false}
          scroll={{ x: 'max-content' }}
          loading={state.loading}
          onRow={(r) =>
            ({
              'data-testid': 'plan-compliance-row',
              className: isCityLevel(me) ? 'zb-clickable-row' : undefined,
              title: isCityLevel(me) ? t('plan.mt.rowHint') : undefined,
              onClick: () => isCityLevel(me) && onUnit(unit === unitKey(r.unit) ? null : unitKey(r.unit)),
            }) as HTMLAttributes<HTMLElement>
          }
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('plan.mt.noUnits')} /> }}
          data-testid="plan-compliance"
        />
      )}
    </Card>
  );
}

interface DecisionValues {
  title: string;
  owner?: string;
  ownerName?: string;
  dueOn: dayjs.Dayjs;
  measureNo?: number;
}
interface RecordValues {
  unit?: string;
  heldOn: dayjs.Dayjs;
  title: string;
  chairName: string;
  chairRole: (typeof CHAIR_ROLES)[number];
  attendees?: string[];
  topics: string[];
  minutes?: string[];
  decisions?: DecisionValues[];
}

/** 记录会议: who chaired it (a principal, for it to count), the topics, and the decisions, each a task with its owner and deadline. */
function RecordDrawer({ onClose, onDone }: { onClose: () => void; onDone: (m: Meeting) => void }) {
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const phone = useIsPhone();
  const { message } = App.useApp();
  const [form] = Form.useForm<RecordValues>();
  const [uploading, setUploading] = useState(false);
  const heldOn = Form.useWatch('heldOn', form);
  const { busy, formError, onFinish } = useFormSubmit<RecordValues>(form, async (v) => {
    const body = {
      unit: v.unit ? unitOf(v.unit) : undefined,
      heldOn: v.heldOn.format('YYYY-MM-DD'),
      title: v.title.trim(),
      chairName: v.chairName.trim(),
      chairRole: v.chairRole,
      attendees: v.attendees ?? [],
      topics: v.topics.map((s) => s.trim()).filter(Boolean),
      minutesFileId: v.minutes?.[0],
      decisions: (v.decisions ?? []).map((d) => ({
        title: d.title.trim(),
        owner: d.owner ? unitOf(d.owner) : undefined,
        ownerName: d.ownerName?.trim() || undefined,
        dueOn: d.dueOn.format('YYYY-MM-DD'),
        measureNo: d.measureNo,
      })),
    };
    const made = await api.post<Meeting>('/api/meetings', body);
    void message.success(t('plan.mt.recorded'));
    onDone(made);
  });
  const required = (field: string) => [{ required: true, whitespace: true, message: t('common.required', { field }) }];
  return (
    <Drawer
      open
      title={t('plan.mt.add')}
      size={phone ? '100%' : 720}
      onClose={onClose}
      footer={<DrawerFooter onCancel={onClose} onSubmit={() => form.submit()} busy={busy || uploading} testId="plan-mt-submit" />}
      data-testid="plan-mt-drawer"
    >
      <Form form={form} layout="vertical" initialValues={{ topics: [''], chairRole: 'government_head' }} onFinish={(v) => void onFinish(v)}>
        <FormError error={formError} />
        <Row gutter={12}>
          {isCityLevel(me) && (
            <Col xs={24} sm={12}>
              <Form.Item name="unit" label={t('plan.unit')} rules={[{ required: true, message: t('common.select', { field: t('plan.unit') }) }]}>
                <UnitSelect withCity={false} data-testid="plan-mt-unit-field" />
              </Form.Item>
            </Col>
          )}
          <Col xs={24} sm={12}>
            <Form.Item name="heldOn" label={t('plan.mt.heldOn')} rules={[{ required: true, message: t('common.select', { field: t('plan.mt.heldOn') }) }]}>
              <DatePicker style={{ width: '100%' }} disabledDate={afterToday} data-testid="plan-mt-held" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="title" label={t('plan.mt.meeting')} rules={required(t('plan.mt.meeting'))}>
              <Input maxLength={200} placeholder={t('plan.mt.titlePh')} data-testid="plan-mt-title" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="chairName" label={t('plan.mt.chair')} rules={required(t('plan.mt.chair'))}>
              <Input maxLength={40} data-testid="plan-mt-chair" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="chairRole" label={t('plan.mt.chairRole')} extra={t('plan.mt.chairHelp')}>
              <Select options={CHAIR_ROLES.map((r) => ({ value: r, label: pick(lang, CHAIR_ROLE_LABELS[r]) }))} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="attendees" label={t('plan.mt.attendees')} extra={t('plan.mt.attendeesHelp')}>
              <Select mode="tags" tokenSeparators={[',', '，', '、', ';', '；']} open={false} suffixIcon={null} />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Text strong>{t('plan.mt.topics')}</Typography.Text>
        <Form.List name="topics">
          {(fields, { add, remove }) => (
            <Flex vertical gap={0} style={{ marginTop: 8 }}>
              {fields.map((f, i) => (
                <Flex key={f.key} gap={8} align="flex-start">
                  <Form.Item name={f.name} rules={[{ required: true, whitespace: true, min: 2, message: t('plan.mt.topicMin') }]} style={{ flex: 1, marginBottom: 8 }}>
                    <Input maxLength={500} placeholder={t('plan.mt.topicPh', { n: i + 1 })} data-testid={`plan-mt-topic-${i + 1}`} />
                  </Form.Item>
                  <Button type="text" icon={<DeleteOutlined />} disabled={fields.length === 1} onClick={() => remove(f.name)} aria-label={t('plan.remove')} title={t('plan.remove')} />
                </Flex>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add('')} disabled={fields.length >= 50} style={{ marginBottom: 16 }}>
                {t('plan.mt.addTopic')}
              </Button>
            </Flex>
          )}
        </Form.List>
        <Typography.Text strong>{t('plan.mt.decisionsTitle')}</Typography.Text>
        <Typography.Paragraph type="secondary" style={{ margin: '2px 0 8px' }}>
          {t('plan.mt.decisionsHelp')}
        </Typography.Paragraph>
        <Form.List name="decisions">
          {(fields, { add, remove }) => (
            <Flex vertical gap={8}>
              {fields.map((f, i) => (
                <RemovableCard key={f.key} title={t('plan.mt.decisionN', { n: i + 1 })} onRemove={() => remove(f.name)} testId={`plan-mt-decision-${i + 1}`}>
                  <Row gutter={12}>
                    <Col xs={24}>
                      <Form.Item name={[f.name, 'title']} label={t('plan.mt.decision')} rules={[{ required: true, whitespace: true, min: 2, message: t('plan.mt.decisionMin') }]}>
                        <Input maxLength={300} />
                      </Form.Item>
                    </Col>
                    <Col xs={24} sm={12}>
                      <Form.Item name={[f.name, 'owner']} label={t('plan.mt.owner')}>
                        <UnitSelect placeholder={t('plan.mt.ownerDefault')} />
                      </Form.Item>
                    </Col>
                    <Col xs={24} sm={12}>
                      <Form.Item name={[f.name, 'ownerName']} label={t('plan.owner')}>
                        <Input maxLength={60} />
                      </Form.Item>
                    </Col>
                    <Col xs={24} sm={12}>
                      <Form.Item name={[f.name, 'dueOn']} label={t('plan.col.due')} rules={[{ required: true, message: t('common.select', { field: t('plan.col.due') }) }]}>
                        <DatePicker style={{ width: '100%' }} disabledDate={(d) => !!heldOn && d.isBefore(heldOn, 'day')} />
                      </Form.Item>
                    </Col>
                    <Col xs={24} sm={12}>
                      <Form.Item name={[f.name, 'measureNo']} label={t('plan.col.measure')}>
                        <MeasureSelect placeholder={t('plan.mt.measurePh')} />
                      </Form.Item>
                    </Col>
                  </Row>
                </RemovableCard>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} disabled={fields.length >= 50} data-testid="plan-mt-add-decision">
                {t('plan.mt.addDecision')}
              </Button>
            </Flex>
          )}
        </Form.List>
        <Form.Item name="minutes" label={t('plan.mt.minutes')} style={{ marginTop: 16 }}>
          <EvidenceUpload max={1} onUploadingChange={setUploading} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
