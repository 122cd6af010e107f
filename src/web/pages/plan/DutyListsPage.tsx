import { DeleteOutlined, PaperClipOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Drawer, Empty, Flex, Form, Input, Radio, Row, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import type { HTMLAttributes } from 'react';
import { Link } from 'react-router-dom';
import { DUTY_KINDS, DUTY_KIND_LABELS, TASK_STATUS_LABELS } from '../../../shared/contracts/tasks';
import type { DutyList } from '../../../shared/contracts/tasks';
import { shanghaiDate } from '../../../shared/dates';
import { api, fileUrl } from '../../api';
import type { ListResult } from '../../api';
import { EvidenceUpload } from '../../components/EvidenceUpload';
import { FactList } from '../../components/FactList';
import { DrawerFooter, FormError, useFormSubmit } from '../../components/FormParts';
import { PageHeader } from '../../components/PageHeader';
import { TableCard } from '../../components/TableCard';
import { XlsxButton } from '../../components/XlsxButton';
import { formatDate } from '../../format';
import { useAsync, useIsPhone, useUrlParams } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import type { Lang, Translate } from '../../i18n';
import { useMe } from '../../session';
import type { Cell } from '../../xlsx';
import { isCityLevel, keepsUnitRecords } from './access';
import { fetchAll, planYears, TaskPicker, TaskStatusTag, unitOf, unitQuery, UnitSelect } from './shared';
import './plan.css';

type Kind = (typeof DUTY_KINDS)[number];
type Item = DutyList['items'][number];
const thisYear = () => Number(shanghaiDate(new Date()).slice(0, 4));

/** 职责清单 and 年度任务清单: each department's and district's lists with their items, beside what the department supervises. */
export default function DutyListsPage() {
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const { params, set } = useUrlParams();
  const unit = params.get('unit') ?? undefined;
  const kind = (params.get('kind') as Kind | null) ?? undefined;
  const year = params.get('year') ?? undefined;
  const page = Number(params.get('page') ?? 1);
  const [reloadKey, setReloadKey] = useState(0);
  const [adding, setAdding] = useState(false);
  // A list just added shows at once, whether or not the current filters and page hold it.
  const [made, setMade] = useState<DutyList | null>(null);
  const u = unit ? unitQuery(unitOf(unit)) : {};
  const query = { districtCode: u.districtCode, departmentId: u.departmentId, kind, year };
  const list = useAsync((signal) => api.get<ListResult<DutyList>>('/api/duty-lists', { ...query, page, pageSize: 20 }, signal), [unit, kind, year, page, reloadKey]);
  const asked = params.get('list');
  const chosen = list.data?.items.find((d) => d.id === asked) ?? (made && made.id === asked ? made : undefined) ?? list.data?.items[0];
  const columns: TableColumnsType<DutyList> = [
    { key: 'unit', title: t('plan.unit'), render: (_, d) => d.unit.name },
    { key: 'kind', title: t('plan.dl.kind'), render: (_, d) => <Tag color={d.kind === 'duty' ? 'geekblue' : 'purple'}>{pick(lang, DUTY_KIND_LABELS[d.kind])}{d.year ? ` ${d.year}` : ''}</Tag> },
    { key: 'title', title: t('plan.dl.title'), render: (_, d) => <a data-testid="plan-dl-open">{d.title}</a> },
    { key: 'items', title: t('plan.dl.itemCount'), align: 'right', render: (_, d) => d.items.length },
    { key: 'source', title: t('plan.dl.sourceDoc'), render: (_, d) => <Typography.Text type="secondary">{d.sourceDoc}</Typography.Text> },
  ];
  return (
    <div className="zb-page">
      <PageHeader
        title={t('plan.dl.pageTitle')}
        subTitle={t('plan.dl.subTitle')}
        extra={
          keepsUnitRecords(me) && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="plan-dl-add">
              {t('plan.dl.add')}
            </Button>
          )
        }
      />
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Card className="zb-card" size="small">
          <Flex gap={12} wrap align="center">
            {isCityLevel(me) && (
              <div className="zb-plan-filter zb-plan-filter-wide">
                <UnitSelect value={unit} onChange={(v) => set({ unit: v ?? null, list: null, page: null })} placeholder={t('plan.mt.allUnits')} withCity={false} />
              </div>
            )}
            <div className="zb-plan-filter">
              <Select allowClear value={kind} onChange={(v: string | undefined) => set({ kind: v ?? null, list: null, page: null })} placeholder={t('plan.dl.kind')} options={DUTY_KINDS.map((k) => ({ value: k, label: pick(lang, DUTY_KIND_LABELS[k]) }))} style={{ width: '100%' }} />
            </div>
            <div className="zb-plan-filter">
              <Select allowClear value={year} onChange={(v: string | undefined) => set({ year: v ?? null, list: null, page: null })} placeholder={t('plan.yearLabel')} options={planYears(thisYear()).map((y) => ({ value: String(y), label: t('plan.year', { y }) }))} style={{ width: '100%' }} />
            </div>
          </Flex>
        </Card>
        <TableCard<DutyList>
          title={t('plan.dl.lists')}
          extra={
            <XlsxButton size="small" fileName={t('plan.dl.pageTitle')} rows={async () => dutyListsSheet(await fetchAll<DutyList>('/api/duty-lists', query), t, lang)} disabled={!list.data?.total} data-testid="plan-dl-export">
              {t('plan.export')}
            </XlsxButton>
          }
          list={list}
          columns={columns}
          empty={t('plan.dl.none')}
          testId="plan-dl-table"
          paging={{ page, onChange: (p) => set({ page: p > 1 ? String(p) : null, list: null }) }}
          onRowClick={(d) => set({ list: d.id })}
        />
        {chosen ? <DutyListPanel key={chosen.id} list={chosen} /> : null}
      </Space>
      {adding && (
        <AddDrawer
          onClose={() => setAdding(false)}
          onDone={(d) => {
            setAdding(false);
            setReloadKey((k) => k + 1);
            setMade(d);
            set({ list: d.id });
          }}
        />
      )}
    </div>
  );
}

/** The lists as a sheet: one row per item, under its list's unit, kind, year, title and source, with the tasks it serves. */
function dutyListsSheet(lists: DutyList[], t: Translate, lang: Lang): Cell[][] {
  return [
    [t('plan.unit'), t('plan.dl.kind'), t('plan.yearLabel'), t('plan.dl.title'), t('plan.dl.sourceDoc'), '#', t('plan.dl.item'), t('plan.dl.tasks')],
    ...lists.flatMap((d) =>
      [...d.items]
        .sort((a, b) => a.seq - b.seq)
        .map((i) => [d.unit.name, pick(lang, DUTY_KIND_LABELS[d.kind]), d.year, d.title, d.sourceDoc, i.seq, i.text, i.planTasks.map((x) => `${x.title}（${pick(lang, TASK_STATUS_LABELS[x.status])}）`).join('；')]),
    ),
  ];
}

/** One list: its source, its items (each yearly item with the plan tasks it serves), and the industries its department supervises. */
function DutyListPanel({ list: d }: { list: DutyList }) {
  const t = useT();
  const { lang } = useLang();
  const linked = d.items.some((i) => i.planTasks.length > 0);
  const columns: TableColumnsType<Item> = [
    { key: 'seq', title: '#', width: 48, render: (_, i) => i.seq },
    { key: 'text', title: t('plan.dl.item'), render: (_, i) => <span className="zb-pre">{i.text}</span> },
    ...(linked
      ? [
          {
            key: 'tasks',
            title: t('plan.dl.tasks'),
            width: 280,
            render: (_: unknown, i: Item) =>
              i.planTasks.map((x) => (
                <div key={x.id} data-testid="plan-dl-task">
                  <Link to={`/plan/tasks/${x.id}`}>{x.title}</Link> <TaskStatusTag status={x.status} />
                </div>
              )),
          },
        ]
      : []),
  ];
  return (
    <Row gutter={[12, 12]} data-testid="plan-dl-panel">
      <Col xs={24} lg={16}>
        <Card className="zb-card" size="small" title={d.title} extra={<Tag color={d.kind === 'duty' ? 'geekblue' : 'purple'}>{pick(lang, DUTY_KIND_LABELS[d.kind])}</Tag>}>
          <FactList
            labelWidth={100}
            items={[
              { key: 'unit', label: t('plan.unit'), children: d.unit.name },
              ...(d.year ? [{ key: 'year', label: t('plan.yearLabel'), children: String(d.year) }] : []),
              {
                key: 'source',
                label: t('plan.dl.sourceDoc'),
                children: (
                  <span>
                    {d.sourceDoc}
                    {d.fileId && (
                      <a href={fileUrl(d.fileId)} target="_blank" rel="noopener noreferrer" style={{ marginInlineStart: 8 }}>
                        <PaperClipOutlined /> {t('plan.dl.file')}
                      </a>
                    )}
                  </span>
                ),
              },
              { key: 'created', label: t('plan.dl.created'), children: formatDate(d.createdAt) },
            ]}
            style={{ marginBottom: 12 }}
          />
          <Table<Item>
            rowKey="id"
            size="small"
            columns={columns}
            dataSource={[...d.items].sort((a, b) => a.seq - b.seq)}
            pagination={d.items.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
            onRow={() => ({ 'data-testid': 'plan-dl-item' }) as HTMLAttributes<HTMLElement>}
          />
        </Card>
      </Col>
      <Col xs={24} lg={8}>
        <Card className="zb-card" size="small" title={t('plan.dl.industries')} data-testid="plan-dl-industries">
          {d.unit.kind !== 'department' ? (
            <Typography.Text type="secondary">{t('plan.dl.industriesNotDept')}</Typography.Text>
          ) : d.industries.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('plan.dl.industriesNone')} />
          ) : (
            <Flex vertical gap={4}>
              <Typography.Text type="secondary">{t('plan.dl.industriesNote')}</Typography.Text>
              {d.industries.map((i) => (
                <div key={i.code}>
                  <Tag>{i.code}</Tag>
                  {i.name}
                </div>
              ))}
            </Flex>
          )}
        </Card>
      </Col>
    </Row>
  );
}

interface AddValues {
  unit?: string;
  kind: Kind;
  year?: number;
  title: string;
  sourceDoc: string;
  file?: string[];
  items: { text: string; planTaskIds?: string[] }[];
}

function AddDrawer({ onClose, onDone }: { onClose: () => void; onDone: (d: DutyList) => void }) {
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const phone = useIsPhone();
  const { message } = App.useApp();
  const [form] = Form.useForm<AddValues>();
  const [uploading, setUploading] = useState(false);
  const kind = Form.useWatch('kind', form) ?? 'duty';
  const { busy, formError, onFinish } = useFormSubmit<AddValues>(form, async (v) => {
    const made = await api.post<DutyList>('/api/duty-lists', {
      unit: v.unit ? unitOf(v.unit) : undefined,
      kind: v.kind,
      year: v.kind === 'yearly' ? v.year : undefined,
      title: v.title.trim(),
      sourceDoc: v.sourceDoc.trim(),
      fileId: v.file?.[0],
      items: v.items.map((i) => ({ text: i.text.trim(), planTaskIds: v.kind === 'yearly' ? (i.planTaskIds ?? []) : [] })),
    });
    void message.success(t('plan.dl.added'));
    onDone(made);
  });
  return (
    <Drawer
      open
      title={t('plan.dl.add')}
      size={phone ? '100%' : 640}
      onClose={onClose}
      footer={<DrawerFooter onCancel={onClose} onSubmit={() => form.submit()} busy={busy || uploading} testId="plan-dl-submit" />}
      data-testid="plan-dl-drawer"
    >
      <Form form={form} layout="vertical" initialValues={{ kind: 'duty', year: thisYear(), items: [{ text: '' }] }} onFinish={(v) => void onFinish(v)}>
        <FormError error={formError} />
        {isCityLevel(me) && (
          <Form.Item name="unit" label={t('plan.unit')}>
            <UnitSelect placeholder={t('plan.ownUnit')} />
          </Form.Item>
        )}
        <Flex gap={16} wrap>
          <Form.Item name="kind" label={t('plan.dl.kind')}>
            <Radio.Group optionType="button" options={DUTY_KINDS.map((k) => ({ value: k, label: pick(lang, DUTY_KIND_LABELS[k]) }))} />
          </Form.Item>
          {kind === 'yearly' && (
            <Form.Item name="year" label={t('plan.yearLabel')} rules={[{ required: true, message: t('common.select', { field: t('plan.yearLabel') }) }]}>
              <Select options={planYears(thisYear()).map((y) => ({ value: y, label: String(y) }))} style={{ width: 110 }} />
            </Form.Item>
          )}
        </Flex>
        <Form.Item name="title" label={t('plan.dl.title')} rules={[{ required: true, whitespace: true, min: 2, message: t('common.required', { field: t('plan.dl.title') }) }]}>
          <Input maxLength={200} data-testid="plan-dl-title" />
        </Form.Item>
        <Form.Item name="sourceDoc" label={t('plan.dl.sourceDoc')} extra={t('plan.dl.sourceDocHelp')} rules={[{ required: true, whitespace: true, min: 2, message: t('common.required', { field: t('plan.dl.sourceDoc') }) }]}>
          <Input maxLength={200} data-testid="plan-dl-source" />
        </Form.Item>
        <Form.Item name="file" label={t('plan.dl.file')}>
          <EvidenceUpload max={1} onUploadingChange={setUploading} />
        </Form.Item>
        <Typography.Text strong>{t('plan.dl.items')}</Typography.Text>
        <Form.List name="items">
          {(fields, { add, remove }) => (
            <Flex vertical gap={8} style={{ marginTop: 8 }}>
              {fields.map((f, i) => (
                <Flex key={f.key} gap={8} align="flex-start">
                  <Typography.Text type="secondary" style={{ paddingTop: 5, width: 20 }}>{`${i + 1}.`}</Typography.Text>
                  <div style={{ flex: 1 }}>
                    <Form.Item name={[f.name, 'text']} rules={[{ required: true, whitespace: true, min: 2, message: t('plan.dl.itemMin') }]} style={{ marginBottom: kind === 'yearly' ? 4 : 8 }}>
                      <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={1000} data-testid={`plan-dl-item-${i + 1}`} />
                    </Form.Item>
                    {kind === 'yearly' && (
                      <Form.Item name={[f.name, 'planTaskIds']} style={{ marginBottom: 8 }}>
                        <TaskPicker placeholder={t('plan.dl.linkTasks')} />
                      </Form.Item>
                    )}
                  </div>
                  <Button type="text" icon={<DeleteOutlined />} disabled={fields.length === 1} onClick={() => remove(f.name)} aria-label={t('plan.remove')} title={t('plan.remove')} />
                </Flex>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ text: '' })} disabled={fields.length >= 500}>
                {t('plan.dl.addItem')}
              </Button>
            </Flex>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}
