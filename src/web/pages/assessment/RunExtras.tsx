import { ArrowRightOutlined } from '@ant-design/icons';
import { App, Button, Card, Drawer, Flex, Form, Input, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { ReactNode } from 'react';
import type { z } from 'zod';
import type { Review, Run, RunDiff } from '../../../shared/contracts/assessment';
import { api } from '../../api';
import { ErrorState, BlockLoading } from '../../components/Feedback';
import { FormError, useFormSubmit } from '../../components/FormParts';
import { formatDateTime } from '../../format';
import { useAsync, useIsPhone } from '../../hooks';
import { useT } from '../../i18n';
import { GradeTag } from './RankingTable';
import { periodLabel } from './words';

type DiffUnit = z.infer<typeof RunDiff>['units'][number];
type ReviewData = z.infer<typeof Review>;

const round = (n: number) => Math.round(n * 100) / 100;

/** before → after, the after marked when it moved (up is better for a score, down for a rank). */
function Move({ before, after, better, render = String }: { before: number | string; after: number | string; better?: 'up' | 'down'; render?: (v: number | string) => ReactNode }) {
  if (before === after) return <span className="zb-asm-value">{render(after)}</span>;
  const up = typeof before === 'number' && typeof after === 'number' ? after > before : null;
  const good = up === null || !better ? null : (better === 'up') === up;
  return (
    <span className="zb-asm-value zb-nowrap">
      <Typography.Text type="secondary" delete>
        {render(before)}
      </Typography.Text>{' '}
      <ArrowRightOutlined style={{ fontSize: 10 }} /> <span className={good === null ? undefined : good ? 'zb-asm-up' : 'zb-asm-down'}>{render(after)}</span>
    </span>
  );
}

/** 与上一次计算比较: per district the score, grade and rank before and now, and which indicators moved; the rows that changed highlighted. */
export function DiffCard({ run }: { run: Run }) {
  const t = useT();
  const diff = run.diff;
  if (!diff) return null;
  const names = new Map(run.units.flatMap((u) => u.indicators.map((i) => [i.key, i.name] as const)));
  const moved = (u: DiffUnit) => u.score !== u.scoreBefore || u.grade !== u.gradeBefore || u.rank !== u.rankBefore || u.changed.length > 0;
  // Only the districts that moved; the rest are counted.
  const rows = diff.units.filter(moved).sort((a, b) => a.rank - b.rank);
  const still = diff.units.length - rows.length;
  const columns: TableColumnsType<DiffUnit> = [
    { key: 'name', title: t('asm.run.unit'), dataIndex: 'name' },
    { key: 'score', title: t('asm.run.score'), align: 'right', render: (_, u) => <Move before={round(u.scoreBefore)} after={round(u.score)} better="up" /> },
    { key: 'grade', title: t('asm.run.grade'), render: (_, u) => <Move before={u.gradeBefore} after={u.grade} render={(g) => <GradeTag grade={String(g)} grades={run.grades} />} /> },
    { key: 'rank', title: t('asm.run.rank'), align: 'center', render: (_, u) => <Move before={u.rankBefore} after={u.rank} better="down" /> },
    { key: 'changed', title: t('asm.diff.changed'), render: (_, u) => u.changed.map((k) => names.get(k) ?? k).join('、') || '—' },
  ];
  return (
    <Card size="small" className="zb-card" title={t('asm.diff.title', { n: diff.againstNumber })} data-testid="asm-diff">
      {rows.length ? (
        <Flex vertical gap={6}>
          <Table<DiffUnit> rowKey="code" size="small" columns={columns} dataSource={rows} pagination={false} scroll={{ x: 'max-content' }} rowClassName="zb-asm-changed" />
          {still > 0 && <Typography.Text type="secondary">{t('asm.diff.rest', { n: still })}</Typography.Text>}
        </Flex>
      ) : (
        <Typography.Text type="secondary">{t('asm.diff.same', { n: diff.againstNumber })}</Typography.Text>
      )}
    </Card>
  );
}

type ReviewValues = { overall: string; units: Record<string, string> };

/** 季度点评: the office's overall words and a comment per district, saved before the document is made. */
export function ReviewDrawer({ run, quarter, extra, onClose }: { run: Run; quarter: string; extra?: ReactNode; onClose: () => void }) {
  const t = useT();
  const phone = useIsPhone();
  const { message } = App.useApp();
  const url = `/api/assessment/reviews/${quarter}`;
  const review = useAsync((signal) => api.get<ReviewData>(url, undefined, signal), [url]);
  const [form] = Form.useForm<ReviewValues>();
  const r = review.data;
  const { busy, formError, onFinish } = useFormSubmit<ReviewValues>(
    form,
    async (v) => {
      const units = run.units.map((u) => ({ code: u.code, text: (v.units?.[u.code] ?? '').trim() })).filter((u) => u.text);
      await api.put(url, { version: r?.version ?? 0, overall: (v.overall ?? '').trim(), units });
      void message.success(t('asm.review.saved'));
      review.reload();
    },
    { onConflict: { title: t('asm.review.conflict'), content: t('asm.review.conflictText'), reload: review.reload } },
  );
  return (
    <Drawer
      open
      onClose={onClose}
      size={phone ? '100%' : 720}
      title={t('asm.review.title', { quarter: periodLabel(t, quarter) })}
      extra={extra}
      footer={
        <Flex justify="space-between" align="center" gap={8} wrap>
          <Typography.Text type="secondary">{r?.updatedAt ? t('asm.review.savedBy', { time: formatDateTime(r.updatedAt), by: r.updatedBy ?? '' }) : ''}</Typography.Text>
          <Button type="primary" loading={busy} disabled={!r} onClick={() => form.submit()} data-testid="asm-review-save">
            {t('asm.review.save')}
          </Button>
        </Flex>
      }
      data-testid="asm-review"
    >
      {review.error && !review.loading ? (
        <ErrorState error={review.error} onRetry={review.reload} />
      ) : !r ? (
        <BlockLoading />
      ) : (
        <Form<ReviewValues>
          key={r.version}
          form={form}
          layout="vertical"
          initialValues={{ overall: r.overall, units: Object.fromEntries(r.units.map((u) => [u.code, u.text])) }}
          onFinish={(v) => void onFinish(v)}
        >
          <FormError error={formError} />
          <Form.Item name="overall" label={t('asm.review.overall')}>
            <Input.TextArea rows={4} maxLength={4000} showCount placeholder={t('asm.review.overallPh')} data-testid="asm-review-overall" />
          </Form.Item>
          {[...run.units]
            .sort((a, b) => a.rank - b.rank)
            .map((u) => (
              <Form.Item key={u.code} name={['units', u.code]} label={`${u.rank}. ${u.name}（${round(u.score)} · ${u.grade}）`} style={{ marginBottom: 12 }}>
                <Input.TextArea rows={2} maxLength={2000} placeholder={t('asm.review.unitPh')} />
              </Form.Item>
            ))}
        </Form>
      )}
    </Drawer>
  );
}
