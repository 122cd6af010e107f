import { EditOutlined, PaperClipOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, DatePicker, Drawer, Empty, Flex, Form, Input, Radio, Row, Select, Space, Statistic, Table, Tag, Timeline, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import type { HTMLAttributes } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { REPORT_EVERY, REPORT_EVERY_LABELS, REPORT_STATUSES, TASK_STATUS_LABELS } from '../../../shared/contracts/tasks';
import type { BindingValue, Milestone, PlanTask, PlanTaskDetail, ReportEvery, ReportStatus } from '../../../shared/contracts/tasks';
import { api, fileUrl } from '../../api';
import { Chart } from '../../components/Chart';
import type { ChartOption } from '../../components/Chart';
import { EvidenceUpload } from '../../components/EvidenceUpload';
import { FactList } from '../../components/FactList';
import { ErrorState, PageLoading } from '../../components/Feedback';
import { DrawerFooter, FormError, useFormSubmit } from '../../components/FormParts';
import { PageHeader } from '../../components/PageHeader';
import { blankToNull, formatDate, formatDateTime, formatPercent } from '../../format';
import { useAsync, useIsPhone } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { measureName, MilestoneList, STATUS_HEX, TaskState, TaskStatusTag } from './shared';
import './plan.css';

const taskUrl = (id: string, rest = '') => `/api/plan-tasks/${encodeURIComponent(id)}${rest}`;

/** A plan task: what it is and who leads it, its milestones, the figure it is bound to, its unit tasks, its progress reports, and the form to report. */
export default function PlanTaskPage() {
  const { id = '' } = useParams<{ id: string }>();
  const t = useT();
  const { lang } = useLang();
  const detail = useAsync((signal) => api.get<PlanTaskDetail>(taskUrl(id), undefined, signal), [id]);
  const [editing, setEditing] = useState(false);
  if (detail.error && !detail.loading) return <ErrorState error={detail.error} onRetry={detail.reload} />;
  if (!detail.data || detail.data.id !== id) return <PageLoading />;
  const x = detail.data;
  return (
    <div className="zb-page" data-testid="plan-task-page">
      <PageHeader
        title={x.title}
        subTitle={x.measureNo ? `${measureName(x.measureNo, lang)}　${x.measureTitle ?? ''}` : undefined}
        tags={<TaskState task={x} testId="plan-task-status" />}
        backTo="/plan"
        extra={
          x.allowed.edit && (
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="plan-task-edit">
              {t('common.edit')}
            </Button>
          )
        }
      />
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Card size="small" className="zb-card">
          <FactList
            labelWidth={120}
            items={[
              { key: 'lead', label: t('plan.col.lead'), children: <span data-testid="plan-task-lead">{x.leadUnit.name}</span> },
              { key: 'co', label: t('plan.coUnits'), children: x.coUnits.length ? x.coUnits.map((u) => u.name).join('、') : '—' },
              ...(x.ownerName ? [{ key: 'owner', label: t('plan.owner'), children: x.ownerName }] : []),
              { key: 'dates', label: t('plan.dates'), children: `${formatDate(x.startOn)} — ${formatDate(x.dueOn)}` },
              { key: 'every', label: t('plan.reportEvery'), children: pick(lang, REPORT_EVERY_LABELS[x.reportEvery]) },
              { key: 'last', label: t('plan.col.lastReport'), children: formatDateTime(x.lastReportAt) },
              ...(x.description ? [{ key: 'desc', label: t('plan.description'), children: <Typography.Paragraph className="zb-pre" style={{ margin: 0 }}>{x.description}</Typography.Paragraph> }] : []),
              ...(x.source ? [{ key: 'source', label: t('common.source'), children: x.source }] : []),
              ...(x.parentId ? [{ key: 'parent', label: t('plan.parent'), children: <Link to={`/plan/tasks/${x.parentId}`}>{t('plan.openParent')}</Link> }] : []),
              ...(x.originType === 'meeting' ? [{ key: 'origin', label: t('plan.origin'), children: <Link to="/plan/meetings">{t('plan.fromMeeting')}</Link> }] : []),
            ]}
          />
        </Card>
        <Row gutter={[12, 12]}>
          <Col xs={24} xl={x.bindingValue ? 12 : 24}>
            <MilestonesCard milestones={x.milestones} />
          </Col>
          {x.bindingValue && (
            <Col xs={24} xl={12}>
              <BindingCard value={x.bindingValue} />
            </Col>
          )}
        </Row>
        {x.children.length > 0 && <ChildrenCard tasks={x.children} />}
        {x.allowed.report && <ReportForm task={x} onDone={detail.reload} />}
        <ReportsCard task={x} />
      </Space>
      {editing && (
        <EditDrawer
          task={x}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            detail.reload();
          }}
          onConflict={detail.reload}
        />
      )}
    </div>
  );
}

type MilestoneState = 'done' | 'late' | 'open';
const milestoneState = (m: Milestone): MilestoneState => (m.doneOn ? 'done' : m.late ? 'late' : 'open');

function MilestonesCard({ milestones }: { milestones: Milestone[] }) {
  const t = useT();
  const columns: TableColumnsType<Milestone> = [
    { key: 'title', title: t('plan.ms.title'), render: (_, m) => <Typography.Text type={m.late ? 'danger' : undefined}>{m.title}</Typography.Text> },
    { key: 'due', title: t('plan.ms.due'), width: 110, render: (_, m) => <Typography.Text type={m.late ? 'danger' : undefined}>{formatDate(m.dueOn)}</Typography.Text> },
    {
      key: 'state',
      title: t('plan.col.status'),
      width: 150,
      render: (_, m) => {
        const s = milestoneState(m);
        return s === 'done' ? <Tag color="blue">{t('plan.ms.doneOn', { date: formatDate(m.doneOn) })}</Tag> : s === 'late' ? <Tag color="red">{t('plan.ms.late')}</Tag> : <Tag>{t('plan.ms.open')}</Tag>;
      },
    },
  ];
  return (
    <Card size="small" className="zb-card" title={t('plan.milestones', { n: milestones.length })}>
      <Table<Milestone>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={[...milestones].sort((a, b) => a.dueOn.localeCompare(b.dueOn))}
        pagination={false}
        onRow={(m) => ({ 'data-testid': 'plan-milestone', 'data-state': milestoneState(m) }) as HTMLAttributes<HTMLElement>}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('plan.ms.none')} /> }}
      />
    </Card>
  );
}

/** The live figure Zhiben keeps for the task, against its target, with the daily readings. */
function BindingCard({ value: b }: { value: BindingValue }) {
  const t = useT();
  const { lang } = useLang();
  const show = (n: number | null) => (n === null ? '—' : b.unit === 'rate' ? formatPercent(n) : n.toLocaleString());
  const target = `${b.better === 'lower' ? '≤' : '≥'} ${show(b.target)}`;
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 48, right: 16, top: 16, bottom: 24 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: b.readings.map((r) => r.on.slice(5)), boundaryGap: false },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => (b.unit === 'rate' ? `${Math.round(v * 100)}%` : String(v)) } },
      series: [
        {
          type: 'line',
          name: pick(lang, b.title),
          data: b.readings.map((r) => r.value),
          showSymbol: false,
          lineStyle: { color: '#0b57d0' },
          itemStyle: { color: '#0b57d0' },
          markLine: { symbol: 'none', silent: true, lineStyle: { color: '#d4380d', type: 'dashed' }, label: { formatter: target }, data: [{ yAxis: b.target }] },
        },
      ],
    }),
    [b, lang, target],
  );
  return (
    <Card size="small" className="zb-card" title={`${t('plan.binding.title')} · ${pick(lang, b.title)}`} data-testid="plan-binding">
      {b.hidden ? (
        <Alert type="info" showIcon title={t('plan.binding.hidden')} />
      ) : (
        <>
          <Flex gap={32} wrap align="center">
            <Statistic title={t('plan.binding.value')} value={show(b.value)} data-testid="plan-binding-value" />
            <Statistic title={t('plan.binding.target')} value={target} />
            <div>
              {b.met === null ? <Tag>{t('plan.binding.noFigure')}</Tag> : <Tag color={b.met ? 'green' : 'red'}>{b.met ? t('plan.binding.met') : t('plan.binding.notMet')}</Tag>}
              <div>
                <Typography.Text type="secondary">{t('plan.binding.asOf', { at: formatDateTime(b.asOf) })}</Typography.Text>
              </div>
            </div>
          </Flex>
          {b.readings.length > 1 && (
            <div className="zb-plan-readings">
              <Chart option={option} height={160} ariaLabel={t('plan.binding.readings')} testId="plan-binding-chart" />
            </div>
          )}
        </>
      )}
    </Card>
  );
}

/** The units' tasks under this one (a district's sub-plan task under the city's). */
function ChildrenCard({ tasks }: { tasks: PlanTask[] }) {
  const t = useT();
  const navigate = useNavigate();
  const columns: TableColumnsType<PlanTask> = [
    { key: 'title', title: t('plan.col.title'), render: (_, c) => <Link to={`/plan/tasks/${c.id}`}>{c.title}</Link> },
    { key: 'lead', title: t('plan.col.lead'), width: 170, render: (_, c) => c.leadUnit.name },
    { key: 'due', title: t('plan.col.due'), width: 110, render: (_, c) => formatDate(c.dueOn) },
    { key: 'status', title: t('plan.col.status'), width: 160, render: (_, c) => <TaskState task={c} /> },
  ];
  return (
    <Card size="small" className="zb-card" title={t('plan.children', { n: tasks.length })}>
      <Table<PlanTask>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={tasks}
        pagination={false}
        scroll={{ x: 'max-content' }}
        onRow={(c) => ({ onClick: () => navigate(`/plan/tasks/${c.id}`), className: 'zb-clickable-row' })}
        data-testid="plan-task-children"
      />
    </Card>
  );
}

interface ReportValues {
  status: ReportStatus;
  note: string;
  attachmentIds?: string[];
  milestoneId?: string;
}

/** 报告进展: the responsible unit's status, narrative and evidence; a done report may complete a milestone. */
function ReportForm({ task, onDone }: { task: PlanTaskDetail; onDone: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const phone = useIsPhone();
  const { message } = App.useApp();
  const [form] = Form.useForm<ReportValues>();
  const [uploading, setUploading] = useState(false);
  const status = Form.useWatch('status', form);
  const open = task.milestones.filter((m) => !m.doneOn);
  const { busy, formError, onFinish } = useFormSubmit<ReportValues>(form, async (v) => {
    await api.post<PlanTaskDetail>(taskUrl(task.id, '/progress'), {
      status: v.status,
      note: v.note.trim(),
      attachmentIds: v.attachmentIds ?? [],
      milestoneId: v.status === 'done' ? v.milestoneId || undefined : undefined,
    });
    void message.success(t('plan.report.done'));
    form.resetFields();
    onDone();
  });
  return (
    <Card size="small" className="zb-card" title={t('plan.report.title')} data-testid="plan-report-form">
      <Form form={form} layout="vertical" onFinish={(v) => void onFinish(v)}>
        <FormError error={formError} />
        <Form.Item name="status" label={t('plan.report.status')} rules={[{ required: true, message: t('common.select', { field: t('plan.report.status') }) }]}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={REPORT_STATUSES.map((s) => ({ value: s, label: <span data-testid={`plan-report-status-${s}`}>{pick(lang, TASK_STATUS_LABELS[s])}</span> }))}
            data-testid="plan-report-status"
          />
        </Form.Item>
        {status === 'done' && open.length > 0 && (
          <Form.Item name="milestoneId" label={t('plan.report.milestone')} extra={t('plan.report.milestoneHelp')}>
            <Select allowClear placeholder={t('plan.report.milestonePh')} options={open.map((m) => ({ value: m.id, label: `${m.title}（${formatDate(m.dueOn)}）` }))} data-testid="plan-report-milestone" />
          </Form.Item>
        )}
        <Form.Item name="note" label={t('plan.report.note')} rules={[{ required: true, whitespace: true, min: 2, message: t('plan.report.noteMin') }]}>
          <Input.TextArea rows={4} maxLength={4000} showCount placeholder={t('plan.report.notePh')} data-testid="plan-report-note" />
        </Form.Item>
        <Form.Item name="attachmentIds" label={t('plan.report.evidence')} extra={t('upload.fileTypes')}>
          <EvidenceUpload onUploadingChange={setUploading} max={20} data-testid="plan-report-upload" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} disabled={uploading} block={phone} size={phone ? 'large' : 'middle'} data-testid="plan-report-submit">
          {t('plan.report.submit')}
        </Button>
      </Form>
    </Card>
  );
}

function ReportsCard({ task }: { task: PlanTaskDetail }) {
  const t = useT();
  const reports = [...task.reports].sort((a, b) => b.at.localeCompare(a.at));
  const milestone = (id: string | null) => task.milestones.find((m) => m.id === id);
  return (
    <Card size="small" className="zb-card" title={t('plan.reports', { n: reports.length })} data-testid="plan-reports">
      {reports.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('plan.noReports')} />
      ) : (
        <Timeline
          items={reports.map((r) => ({
            key: r.id,
            color: STATUS_HEX[r.status],
            content: (
              <div data-testid="plan-report-item" data-status={r.status}>
                <Space size={8} wrap>
                  <TaskStatusTag status={r.status} />
                  <Typography.Text strong>{r.byName}</Typography.Text>
                  <Typography.Text type="secondary">
                    {formatDateTime(r.at)}
                    {r.periodKey ? ` · ${r.periodKey}` : ''}
                  </Typography.Text>
                </Space>
                {r.milestoneId && milestone(r.milestoneId) && (
                  <div>
                    <Typography.Text type="secondary">{t('plan.report.completes', { title: milestone(r.milestoneId)!.title })}</Typography.Text>
                  </div>
                )}
                <Typography.Paragraph className="zb-plan-report-note">{r.note}</Typography.Paragraph>
                {r.attachmentIds.length > 0 && (
                  <Space wrap>
                    {r.attachmentIds.map((f, i) => (
                      <a key={f} href={fileUrl(f)} target="_blank" rel="noopener noreferrer" data-testid="plan-report-file">
                        <PaperClipOutlined /> {t('plan.attachment', { n: i + 1 })}
                      </a>
                    ))}
                  </Space>
                )}
              </div>
            ),
          }))}
        />
      )}
    </Card>
  );
}

interface EditValues {
  title: string;
  description?: string;
  ownerName?: string;
  startOn?: dayjs.Dayjs | null;
  dueOn?: dayjs.Dayjs | null;
  reportEvery: ReportEvery;
  milestones?: { id?: string; title: string; dueOn: dayjs.Dayjs }[];
}

const day = (d: dayjs.Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);

/** 编辑任务: its title, dates, reporting frequency and milestones (a kept milestone keeps its done date). */
function EditDrawer({ task, onClose, onSaved, onConflict }: { task: PlanTaskDetail; onClose: () => void; onSaved: () => void; onConflict: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const phone = useIsPhone();
  const [form] = Form.useForm<EditValues>();
  const { busy, formError, onFinish } = useFormSubmit<EditValues>(
    form,
    async (v) => {
      await api.patch<PlanTaskDetail>(taskUrl(task.id), {
        version: task.version,
        title: v.title.trim(),
        description: blankToNull(v.description),
        ownerName: blankToNull(v.ownerName),
        startOn: day(v.startOn),
        dueOn: day(v.dueOn),
        reportEvery: v.reportEvery,
        milestones: (v.milestones ?? []).map((m) => ({ id: m.id, title: m.title.trim(), dueOn: m.dueOn.format('YYYY-MM-DD') })),
      });
      onSaved();
    },
    {
      onConflict: {
        title: t('plan.conflict'),
        content: t('plan.conflictDetail'),
        reload: () => {
          onClose();
          onConflict();
        },
      },
    },
  );
  const initialValues: EditValues = {
    title: task.title,
    description: task.description ?? undefined,
    ownerName: task.ownerName ?? undefined,
    startOn: task.startOn ? dayjs(task.startOn) : null,
    dueOn: task.dueOn ? dayjs(task.dueOn) : null,
    reportEvery: task.reportEvery,
    milestones: task.milestones.map((m) => ({ id: m.id, title: m.title, dueOn: dayjs(m.dueOn) })),
  };
  return (
    <Drawer
      open
      title={t('plan.editTitle')}
      size={phone ? '100%' : 560}
      onClose={onClose}
      footer={<DrawerFooter onCancel={onClose} onSubmit={() => form.submit()} busy={busy} testId="plan-edit-submit" />}
      data-testid="plan-edit-drawer"
    >
      <Form form={form} layout="vertical" initialValues={initialValues} onFinish={(v) => void onFinish(v)}>
        <FormError error={formError} />
        <Form.Item name="title" label={t('plan.col.title')} rules={[{ required: true, whitespace: true, min: 2, message: t('common.required', { field: t('plan.col.title') }) }]}>
          <Input maxLength={300} />
        </Form.Item>
        <Form.Item name="description" label={t('plan.description')}>
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="startOn" label={t('plan.startOn')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="dueOn" label={t('plan.col.due')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="reportEvery" label={t('plan.reportEvery')}>
              <Select options={REPORT_EVERY.map((r) => ({ value: r, label: pick(lang, REPORT_EVERY_LABELS[r]) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="ownerName" label={t('plan.owner')}>
              <Input maxLength={60} />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Text strong>{t('plan.ms.heading')}</Typography.Text>
        <MilestoneList name="milestones" />
      </Form>
    </Drawer>
  );
}
