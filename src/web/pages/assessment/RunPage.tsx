import { CheckCircleOutlined, EditOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { Run, UnitResult } from '../../../shared/contracts/assessment';
import { api, ApiError } from '../../api';
import type { ListResult } from '../../api';
import { DocButton } from '../../components/DocButton';
import { ErrorState, PageLoading } from '../../components/Feedback';
import { PageHeader } from '../../components/PageHeader';
import { problemText } from '../../errors';
import { formatDate, formatDateTime } from '../../format';
import { useAsync } from '../../hooks';
import { useLang, useT } from '../../i18n';
import { useMe } from '../../session';
import { recordsAccountability, runsAssessment } from './access';
import { AccountabilityDrawer } from './AccountabilityView';
import { RankingTable } from './RankingTable';
import { DiffCard, ReviewDrawer } from './RunExtras';
import { RunStatusTag } from './RunsView';
import type { RunSummary } from './RunsView';
import { GradeBands, useIndicators } from './SchemeView';
import { isQuarter, periodLabel } from './words';
import './assessment.css';

const runUrl = (id: string, rest = '') => `/api/assessment/runs/${encodeURIComponent(id)}${rest}`;

/** A run: its ranking with each district's indicators, the diff against the run before, publishing and re-running; for a quarter, the 季度点评. */
export default function RunPage() {
  const { id = '' } = useParams<{ id: string }>();
  const run = useAsync((signal) => api.get<Run>(runUrl(id), undefined, signal), [id]);
  if (run.error && !run.loading) return <ErrorState error={run.error} onRetry={run.reload} />;
  if (!run.data || run.data.id !== id) return <PageLoading />;
  return <RunBody run={run.data} reload={run.reload} />;
}

function RunBody({ run, reload }: { run: Run; reload: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const navigate = useNavigate();
  const { modal, message } = App.useApp();
  const indicators = useIndicators();
  const [busy, setBusy] = useState<'publish' | 'rerun' | null>(null);
  const [naming, setNaming] = useState<UnitResult | null>(null);
  const [reviewing, setReviewing] = useState(false);
  const quarter = isQuarter(run.period) ? run.period : null;
  // The 季度点评 is made from the quarter's published run: this one, or a later one of the same quarter.
  const published = useAsync(
    async (signal) => (quarter ? (run.status === 'published' ? 1 : (await api.get<ListResult<RunSummary>>('/api/assessment/runs', { period: quarter, status: 'published', pageSize: 1 }, signal)).total) : 0),
    [quarter, run.status],
  );
  const fail = (err: unknown) => void message.error(problemText(err, lang, t));
  const publish = () =>
    modal.confirm({
      title: t('asm.run.publishConfirm', { period: periodLabel(t, run.period) }),
      content: t('asm.run.publishText'),
      okText: t('asm.run.publish'),
      onOk: async () => {
        setBusy('publish');
        try {
          await api.post(runUrl(run.id, '/actions/publish'), { version: run.version });
          void message.success(t('asm.run.published'));
        } catch (err) {
          fail(err);
        } finally {
          setBusy(null);
          reload();
        }
      },
    });
  const rerun = async () => {
    setBusy('rerun');
    try {
      const next = await api.post<Run>('/api/assessment/runs', { schemeYear: run.schemeYear, period: run.period });
      navigate(`/assessment/runs/${next.id}`);
    } catch (err) {
      fail(err);
      if (err instanceof ApiError && err.code === 'VERSION_CONFLICT') reload();
    } finally {
      setBusy(null);
    }
  };
  const doc = quarter && (
    <DocButton path="/api/reports/quarterly-review.docx" query={{ quarter }} fileName={t('asm.review.fileName', { quarter })} disabled={!published.data} title={published.data ? undefined : t('asm.review.needsPublished')} data-testid="asm-review-doc">
      {t('asm.review.download')}
    </DocButton>
  );
  return (
    <div className="zb-page" data-testid="asm-run">
      <PageHeader
        title={`${periodLabel(t, run.period)} · ${t('asm.runN', { n: run.number })}`}
        tags={<RunStatusTag status={run.status} />}
        subTitle={t('asm.run.sub', { scheme: run.schemeVersion ? `${run.schemeTitle} · ${t('asm.run.version', { v: run.schemeVersion })}` : run.schemeTitle, from: formatDate(run.periodFrom), to: formatDate(run.periodTo), asAt: formatDateTime(run.asAt) })}
        backTo="/assessment"
        extra={
          <>
            {run.allowed.includes('rerun') && (
              <Button icon={<ReloadOutlined />} loading={busy === 'rerun'} onClick={() => void rerun()} data-testid="asm-rerun">
                {t('asm.run.rerun')}
              </Button>
            )}
            {run.allowed.includes('publish') && (
              <Button type="primary" icon={<CheckCircleOutlined />} loading={busy === 'publish'} onClick={publish} data-testid="asm-publish">
                {t('asm.run.publish')}
              </Button>
            )}
            {quarter && runsAssessment(me) && (
              <Button icon={<EditOutlined />} onClick={() => setReviewing(true)} data-testid="asm-review-open">
                {t('asm.review.write')}
              </Button>
            )}
            {doc}
          </>
        }
      />
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        {run.status === 'superseded' && <Alert type="warning" showIcon title={t('asm.run.supersededNote')} />}
        {run.status === 'draft' && <Alert type="info" showIcon title={t('asm.run.draftNote')} />}
        <DiffCard run={run} />
        <Card
          size="small"
          className="zb-card"
          title={t('asm.run.ranking')}
          extra={
            <Space size={4} wrap>
              <Typography.Text type="secondary">{t('asm.run.computedAt', { time: formatDateTime(run.computedAt), by: run.createdByName })}</Typography.Text>
              <Link to={`/assessment?view=scheme&year=${run.schemeYear}`}>{t('asm.run.openScheme')}</Link>
            </Space>
          }
        >
          <Space orientation="vertical" size={8} style={{ width: '100%' }}>
            <GradeBands grades={run.grades} />
            <Typography.Text type="secondary">{t('asm.run.expandHint')}</Typography.Text>
            <RankingTable run={run} indicators={indicators.data} onChanged={reload} onAccountability={recordsAccountability(me) && runsAssessment(me) && run.status === 'published' ? setNaming : undefined} />
          </Space>
        </Card>
      </Space>
      {reviewing && quarter && <ReviewDrawer run={run} quarter={quarter} extra={doc} onClose={() => setReviewing(false)} />}
      {naming && (
        <AccountabilityDrawer
          preset={{ targetKind: 'district', districtCode: naming.code, sourceType: 'assessment_run', sourceId: run.id, sourceLabel: `${periodLabel(t, run.period)} · ${t('asm.runN', { n: run.number })}`, reason: t('asm.acc.presetReason', { period: periodLabel(t, run.period), rank: naming.rank, grade: naming.grade }) }}
          onClose={() => setNaming(null)}
          onSaved={() => {
            setNaming(null);
            void message.success(t('asm.acc.recorded'));
          }}
        />
      )}
    </div>
  );
}
