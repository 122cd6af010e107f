import { PlayCircleOutlined } from '@ant-design/icons';
import { Button, DatePicker, Flex, Form, Modal, Radio, Select, Tag } from 'antd';
import type { ButtonProps, TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import type { z } from 'zod';
import type { Run, RunSummary as RunSummarySchema } from '../../../shared/contracts/assessment';
import { api } from '../../api';
import type { ListResult } from '../../api';
import { FormError, useFormSubmit } from '../../components/FormParts';
import { PageHeader } from '../../components/PageHeader';
import { TableCard } from '../../components/TableCard';
import { formatDateTime } from '../../format';
import { useAsync, useIsPhone, useUrlParams } from '../../hooks';
import { useT } from '../../i18n';
import { useMe } from '../../session';
import { runsAssessment } from './access';
import { shanghaiDate } from '../../../shared/dates';
import { recentYears } from '../accidents/fields';
import { periodLabel } from './words';

export type RunSummary = z.infer<typeof RunSummarySchema>;
const STATUS_COLORS: Record<RunSummary['status'], string> = { draft: 'gold', published: 'green', superseded: 'default' };

export function RunStatusTag({ status }: { status: RunSummary['status'] }) {
  const t = useT();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="asm-run-status">
      {t(`asm.status.${status}`)}
    </Tag>
  );
}

/** 考核结果: the runs, newest first, with their status; the city office starts one for a period. */
export function RunsView() {
  const t = useT();
  const me = useMe();
  const phone = useIsPhone();
  const navigate = useNavigate();
  const { params, set } = useUrlParams();
  const page = Number(params.get('page') ?? 1);
  const status = params.get('status') ?? undefined;
  const [starting, setStarting] = useState(false);
  const list = useAsync((signal) => api.get<ListResult<RunSummary>>('/api/assessment/runs', { page, pageSize: 20, status }, signal), [page, status]);
  const columns: TableColumnsType<RunSummary> = [
    { key: 'period', title: t('asm.col.period'), render: (_, r) => <Link to={`/assessment/runs/${r.id}`}>{periodLabel(t, r.period)}</Link> },
    { key: 'number', title: t('asm.col.number'), render: (_, r) => t('asm.runN', { n: r.number }) },
    { key: 'status', title: t('asm.col.status'), render: (_, r) => <RunStatusTag status={r.status} /> },
    { key: 'scheme', title: t('asm.col.scheme'), render: (_, r) => t(r.schemeVersion ? 'asm.schemeVersion' : 'asm.schemeExample', { year: r.schemeYear, v: r.schemeVersion }) },
    { key: 'asAt', title: t('asm.col.asAt'), render: (_, r) => formatDateTime(r.asAt) },
    { key: 'published', title: t('asm.col.publishedAt'), render: (_, r) => formatDateTime(r.publishedAt) },
    { key: 'by', title: t('asm.col.by'), dataIndex: 'createdByName' },
  ];
  return (
    <>
      <PageHeader
        title={t('asm.title')}
        extra={
          runsAssessment(me) && (
            <Button type="primary" icon={<PlayCircleOutlined />} onClick={() => setStarting(true)} data-testid="asm-start">
              {t('asm.start')}
            </Button>
          )
        }
      />
      <TableCard<RunSummary>
        list={list}
        columns={phone ? columns.filter((c) => ['period', 'status'].includes(String(c.key))) : columns}
        empty={runsAssessment(me) ? t('asm.noRunsOffice') : t('asm.noRuns')}
        testId="asm-runs"
        paging={{ page, onChange: (p) => set({ page: p > 1 ? String(p) : null }) }}
        onRowClick={(r) => navigate(`/assessment/runs/${r.id}`)}
        extra={
          runsAssessment(me) && (
            <Select
              size="small"
              allowClear
              placeholder={t('asm.col.status')}
              value={status}
              onChange={(v?: string) => set({ status: v ?? null, page: null })}
              options={(['draft', 'published'] as const).map((s) => ({ value: s, label: t(`asm.status.${s}`) }))}
              style={{ width: 120 }}
            />
          )
        }
      />
      {starting && <StartRunModal onClose={() => setStarting(false)} onStarted={(run) => navigate(`/assessment/runs/${run.id}`)} />}
    </>
  );
}

type PeriodKind = 'month' | 'quarter' | 'year';

/** A period as the API names it: 2026-10, 2026Q4 or 2026. */
function periodOf(kind: PeriodKind, d: Dayjs): string {
  if (kind === 'month') return d.format('YYYY-MM');
  if (kind === 'quarter') return `${d.year()}Q${Math.floor(d.month() / 3) + 1}`;
  return String(d.year());
}

interface StartValues {
  schemeYear: number;
  kind: PeriodKind;
  at: Dayjs;
}

/** 发起考核: the scheme's year and the period (a month, a quarter or a year); the figures are computed at once. */
function StartRunModal({ onClose, onStarted }: { onClose: () => void; onStarted: (run: Run) => void }) {
  const t = useT();
  const [form] = Form.useForm<StartValues>();
  const kind = (Form.useWatch('kind', form) ?? 'quarter') as PeriodKind;
  const { busy, formError, onFinish } = useFormSubmit<StartValues>(
    form,
    async (v) => onStarted(await api.post<Run>('/api/assessment/runs', { schemeYear: v.schemeYear, period: periodOf(v.kind, v.at) })),
    { pathAlias: { period: 'at' } },
  );
  const years = recentYears();
  return (
    <Modal open title={t('asm.start')} onCancel={onClose} onOk={() => form.submit()} okText={t('asm.compute')} confirmLoading={busy} okButtonProps={{ 'data-testid': 'asm-start-submit' } as ButtonProps}>
      <FormError error={formError} />
      <Form<StartValues> form={form} layout="vertical" initialValues={{ schemeYear: years[0], kind: 'quarter', at: dayjs(shanghaiDate(new Date())) }} onFinish={(v) => void onFinish(v)}>
        <Form.Item name="schemeYear" label={t('asm.f.schemeYear')}>
          <Select options={years.map((y) => ({ value: y, label: t('asm.yearN', { year: y }) }))} data-testid="asm-start-year" />
        </Form.Item>
        <Flex gap={12} wrap>
          <Form.Item name="kind" label={t('asm.f.periodKind')}>
            <Radio.Group
              optionType="button"
              options={(['month', 'quarter', 'year'] as const).map((k) => ({ value: k, label: t(`asm.f.kind.${k}`) }))}
              data-testid="asm-start-kind"
            />
          </Form.Item>
          <Form.Item name="at" label={t('asm.f.period')} rules={[{ required: true, message: t('common.select', { field: t('asm.f.period') }) }]}>
            <DatePicker picker={kind} allowClear={false} data-testid="asm-start-period" />
          </Form.Item>
        </Flex>
      </Form>
    </Modal>
  );
}
