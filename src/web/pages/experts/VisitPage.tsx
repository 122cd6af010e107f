import { App, Button, Card, Empty, Flex, Input, Rate, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { VisitAction, VisitDetail } from '../../../shared/contracts/experts';
import { api, ApiError } from '../../api';
import { DocButton } from '../../components/DocButton';
import { ErrorState, PageLoading } from '../../components/Feedback';
import { FindingList, FindingsForm } from '../../components/Findings';
import { FormError } from '../../components/FormParts';
import { PageHeader } from '../../components/PageHeader';
import { problemText } from '../../errors';
import { formatDate } from '../../format';
import { useAsync, useIsPhone } from '../../hooks';
import { useLang, useT } from '../../i18n';
import { RecordTimeline } from '../enforcement/CasesView';
import { VisitStatusTag } from './ExpertsPage';

const EVENTS = ['assign', 'start', 'findings', 'submit', 'cancel', 'feedback'] as const;

/** 专家检查, on the expert's phone: start, record findings with photos, submit the report with advice; the enterprise rates it. */
export default function VisitPage() {
  const { id } = useParams<{ id: string }>();
  const t = useT();
  const detail = useAsync((signal) => api.get<VisitDetail>(`/api/expert-visits/${encodeURIComponent(id ?? '')}`, undefined, signal), [id]);
  if (detail.error && !detail.loading) return <ErrorState error={detail.error} onRetry={detail.reload} />;
  if (!detail.data) return <PageLoading />;
  const v = detail.data;
  return (
    <div className="zb-page zb-enf-inspection">
      <PageHeader title={v.enterpriseName} subTitle={`${v.code} · ${formatDate(v.from)} — ${formatDate(v.to)}`} tags={<VisitStatusTag status={v.status} />} backTo="/experts" />
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <StepsCard visit={v} onChanged={detail.reload} />
        <Card size="small" className="zb-card" title={t('exp.visit.enterprise')}>
          <Flex vertical gap={4}>
            <Typography.Text strong>{v.enterpriseName}</Typography.Text>
            <Typography.Text type="secondary">{`${v.programmeTitle} · ${v.expertNames.join('、')}`}</Typography.Text>
            <Link to={`/hazards?enterpriseId=${encodeURIComponent(v.enterpriseId)}`} data-testid="exp-visit-hazards">
              {t('exp.visit.openHazards')}
            </Link>
          </Flex>
        </Card>
        {v.mayRecord && (
          <Card size="small" className="zb-card" title={t('exp.visit.record')} data-testid="exp-visit-record">
            <FindingsForm postUrl={`/api/expert-visits/${encodeURIComponent(v.id)}/findings`} version={v.version} items={[]} onDone={detail.reload} />
          </Card>
        )}
        <Card size="small" className="zb-card" title={t('exp.visit.findings', { n: v.findingsList.length })} data-testid="exp-visit-findings">
          {v.findingsList.length ? <FindingList findings={v.findingsList} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('exp.visit.noFindings')} />}
        </Card>
        {v.status === 'submitted' && (
          <DocButton block path={`/api/expert-visits/${encodeURIComponent(v.id)}/report.docx`} fileName={`${v.code}-${t('exp.visit.reportDoc')}.docx`} data-testid="exp-visit-report-docx">
            {t('exp.visit.reportDoc')}
          </DocButton>
        )}
        {v.advice && (
          <Card size="small" className="zb-card" title={t('exp.visit.adviceTitle')} data-testid="exp-visit-advice">
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{v.advice}</Typography.Paragraph>
          </Card>
        )}
        <FeedbackCard visit={v} onChanged={detail.reload} />
        {v.events.length > 0 && (
          <Card size="small" className="zb-card" title={t('exp.visit.events')}>
            <RecordTimeline events={v.events.map((e) => ({ ...e, data: null }))} label={(a) => ((EVENTS as readonly string[]).includes(a) ? t(`exp.visit.event.${a as (typeof EVENTS)[number]}`) : a)} />
          </Card>
        )}
      </Space>
    </div>
  );
}

/** Start; submit the report with the advice; cancel (the office, with a reason). */
function StepsCard({ visit: v, onChanged }: { visit: VisitDetail; onChanged: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const phone = useIsPhone();
  const { message } = App.useApp();
  const [advice, setAdvice] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState<VisitAction | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!v.allowedActions.length) {
    return v.status === 'assigned' ? (
      <Card size="small" className="zb-card">
        <Typography.Text type="secondary">{t('exp.visit.notStarted')}</Typography.Text>
      </Card>
    ) : null;
  }
  const step = async (action: VisitAction, body: Record<string, unknown>, done: string) => {
    setError(null);
    setBusy(action);
    try {
      await api.post(`/api/expert-visits/${encodeURIComponent(v.id)}/actions/${action}`, { version: v.version, ...body });
      message.success(done);
      onChanged();
    } catch (err) {
      setError(problemText(err, lang, t));
      if (err instanceof ApiError && err.code === 'VERSION_CONFLICT') onChanged();
    } finally {
      setBusy(null);
    }
  };
  const size = phone ? ('large' as const) : ('middle' as const);
  return (
    <Card size="small" className="zb-card" data-testid="exp-visit-steps" title={v.allowedActions.includes('submit') ? t('exp.visit.report') : undefined}>
      <Flex vertical gap={10}>
        <FormError error={error} />
        {v.allowedActions.includes('start') && (
          <Button type="primary" size={size} block={phone} loading={busy === 'start'} onClick={() => void step('start', {}, t('exp.visit.started'))} data-testid="exp-visit-start">
            {t('exp.visit.start')}
          </Button>
        )}
        {v.allowedActions.includes('submit') && (
          <>
            <Typography.Text>{t('exp.visit.advice')}</Typography.Text>
            <Input.TextArea rows={4} maxLength={5000} placeholder={t('exp.visit.advicePh')} value={advice} onChange={(e) => setAdvice(e.target.value)} data-testid="exp-visit-advice-input" />
            <Button type="primary" size={size} block={phone} loading={busy === 'submit'} onClick={() => void step('submit', { advice: advice.trim() || undefined }, t('exp.visit.submitted'))} data-testid="exp-visit-submit">
              {t('exp.visit.submit')}
            </Button>
          </>
        )}
        {v.allowedActions.includes('cancel') && (
          <Flex gap={8} wrap vertical={phone}>
            <Input placeholder={t('exp.visit.cancelReason')} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} style={{ maxWidth: 360 }} />
            <Button danger loading={busy === 'cancel'} disabled={reason.trim().length < 2} onClick={() => void step('cancel', { reason: reason.trim() }, t('exp.visit.cancelled'))} data-testid="exp-visit-cancel">
              {t('exp.visit.cancel')}
            </Button>
          </Flex>
        )}
      </Flex>
    </Card>
  );
}

function FeedbackCard({ visit: v, onChanged }: { visit: VisitDetail; onChanged: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const { message } = App.useApp();
  const [rating, setRating] = useState(0);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (v.feedback) {
    return (
      <Card size="small" className="zb-card" title={t('exp.visit.feedback')}>
        <Rate disabled value={v.feedback.rating} /> {v.feedback.note && <Typography.Text type="secondary">{v.feedback.note}</Typography.Text>}
      </Card>
    );
  }
  if (!v.mayGiveFeedback) return null;
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/expert-visits/${encodeURIComponent(v.id)}/feedback`, { rating, note: note.trim() || undefined });
      message.success(t('exp.visit.rated'));
      onChanged();
    } catch (err) {
      setError(problemText(err, lang, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" className="zb-card" title={t('exp.visit.rate')} data-testid="exp-visit-rate">
      <Flex vertical gap={8}>
        <Rate value={rating} onChange={setRating} />
        <Input.TextArea rows={2} maxLength={500} placeholder={t('exp.visit.rateNote')} value={note} onChange={(e) => setNote(e.target.value)} />
        <FormError error={error} />
        <Button type="primary" disabled={!rating} loading={busy} onClick={() => void send()}>
          {t('exp.visit.rateSubmit')}
        </Button>
      </Flex>
    </Card>
  );
}
