import { Card, Flex, Space, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { ACCIDENT_GRADE_LABELS } from '../../../shared/contracts/accidents';
import type { AccidentDetail, AccidentGrade } from '../../../shared/contracts/accidents';
import type { Hazard } from '../../../shared/contracts/hazards';
import { api } from '../../api';
import { FactList } from '../../components/FactList';
import { ErrorState, PageLoading } from '../../components/Feedback';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../format';
import { useAsync, useDistricts, useIndustries, useStreets } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import type { Lang, Translate } from '../../i18n';
import { RecordTimeline } from '../enforcement/CasesView';
import { GradeTag, StatusTag } from '../hazards/HazardTags';
import { AccidentActions } from './AccidentActions';
import { accidentUrl, FileLinks } from './fields';
import { AccidentGradeTag, casualtyText, InvestigationTag, ReportFlags, yuanText } from './tags';

const EVENTS = ['registered', 'edited', 'casualties', 'concealed', 'false_report', 'investigate', 'conclude'] as const;

/** An accident: its facts and grade with the reason, the supplement window, the investigation and the hazards it found, the steps the caller may take, its timeline. */
export default function AccidentPage() {
  const { id = '' } = useParams<{ id: string }>();
  const detail = useAsync((signal) => api.get<AccidentDetail>(accidentUrl(id), undefined, signal), [id]);
  if (detail.error && !detail.loading) return <ErrorState error={detail.error} onRetry={detail.reload} />;
  if (!detail.data) return <PageLoading />;
  return <AccidentBody a={detail.data} reload={detail.reload} />;
}

function AccidentBody({ a, reload }: { a: AccidentDetail; reload: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const region = useRegionNames(a);
  const supplementOpen = a.allowed.includes('casualties');
  return (
    <div className="zb-page" data-testid="acc-detail">
      <PageHeader
        title={`${a.code} · ${a.category}`}
        subTitle={`${formatDateTime(a.occurredAt)} · ${a.enterpriseName ?? a.place}`}
        tags={
          <Space size={4} wrap>
            <AccidentGradeTag grade={a.grade} />
            <ReportFlags accident={a} />
            <InvestigationTag value={a.investigation} />
          </Space>
        }
        backTo="/accidents"
        extra={<AccidentActions accident={a} onChanged={reload} />}
      />
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Card size="small" className="zb-card" title={t('acc.facts')}>
          <FactList
            labelWidth={130}
            items={[
              { key: 'occurred', label: t('acc.f.occurredAt'), children: formatDateTime(a.occurredAt) },
              { key: 'reported', label: t('acc.f.reportedAt'), children: <Space size={6}>{formatDateTime(a.reportedAt)}{a.reportedLate && <Tag color="warning">{t('acc.late')}</Tag>}</Space> },
              { key: 'region', label: t('acc.region'), children: region.place },
              ...(a.enterpriseId ? [{ key: 'ent', label: t('acc.enterprise'), children: <Link to={`/enterprises/${a.enterpriseId}`}>{a.enterpriseName ?? a.enterpriseId}</Link> }] : []),
              { key: 'industry', label: t('acc.f.industry'), children: region.industry },
              { key: 'place', label: t('acc.f.place'), children: a.place },
              ...(a.lng !== null && a.lat !== null ? [{ key: 'coords', label: t('acc.coords'), children: `${a.lng}, ${a.lat}` }] : []),
              { key: 'category', label: t('acc.f.category'), children: `${a.category}${a.fireOrRoad ? ` · ${t('acc.f.fireOrRoad')}` : ''}` },
              { key: 'casualties', label: t('acc.col.casualties'), children: <span data-testid="acc-casualties">{casualtyText(t, a)}</span> },
              { key: 'loss', label: t('acc.col.loss'), children: yuanText(t, lang, a.directLossYuan) },
              {
                key: 'grade',
                label: t('acc.col.grade'),
                children: (
                  <Space size={6} wrap>
                    <AccidentGradeTag grade={a.grade} />
                    <Typography.Text type="secondary" data-testid="acc-grade-reason">
                      {a.gradeReason}
                    </Typography.Text>
                  </Space>
                ),
              },
              {
                key: 'supplement',
                label: t('acc.supplementUntil'),
                children: <Typography.Text type={supplementOpen ? undefined : 'secondary'}>{t(supplementOpen ? 'acc.supplementOpen' : 'acc.supplementClosed', { time: formatDateTime(a.supplementUntil) })}</Typography.Text>,
              },
              { key: 'narrative', label: t('acc.f.narrative'), children: <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{a.narrative}</Typography.Paragraph> },
              ...(a.concealment !== 'none'
                ? [
                    {
                      key: 'concealment',
                      label: t('acc.concealment'),
                      children: (
                        <Flex vertical gap={4}>
                          <ReportFlags accident={{ reportedLate: false, concealment: a.concealment }} />
                          <span>{a.concealmentNote}</span>
                          {a.tipId && <Link to={`/tips/${a.tipId}`}>{t('acc.openTip')}</Link>}
                        </Flex>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        </Card>
        <InvestigationCard a={a} />
        <Card size="small" className="zb-card" title={t('acc.events')}>
          <RecordTimeline events={a.events.map((e) => ({ ...e, comment: eventComment(t, lang, e) }))} label={(action) => ((EVENTS as readonly string[]).includes(action) ? t(`acc.event.${action as (typeof EVENTS)[number]}`) : action)} />
        </Card>
      </Space>
    </div>
  );
}

/** A casualty event says how the grade moved with it, beside the officer's note. */
function eventComment(t: Translate, lang: Lang, e: AccidentDetail['events'][number]): string | null {
  const d = e.data as { gradeBefore?: AccidentGrade; grade?: AccidentGrade; leadBy?: string } | null;
  const parts = [e.comment];
  if (d?.leadBy) parts.push(`${t('acc.leadBy')}：${d.leadBy}`);
  if (d?.gradeBefore && d.grade && d.gradeBefore !== d.grade) parts.push(t('acc.regraded', { from: pick(lang, ACCIDENT_GRADE_LABELS[d.gradeBefore]), to: pick(lang, ACCIDENT_GRADE_LABELS[d.grade]) }));
  return parts.filter(Boolean).join(' · ') || null;
}

/** District and street by name, and the industry division. */
function useRegionNames(a: AccidentDetail) {
  const districts = useDistricts();
  const streets = useStreets(a.streetCode ? a.districtCode : undefined);
  const industries = useIndustries();
  const district = districts.data?.find((d) => d.code === a.districtCode)?.name ?? a.districtCode;
  const street = a.streetCode ? (streets.data?.find((s) => s.code === a.streetCode)?.name ?? a.streetCode) : null;
  const industry = a.industryCode ? `${a.industryCode} ${industries.data?.find((i) => i.code === a.industryCode)?.name ?? ''}`.trim() : '—';
  return { place: [district, street].filter(Boolean).join(' · '), industry };
}

/** 事故调查: who leads it, the responsibility found, the report, the hazards it put on the ledger. */
function InvestigationCard({ a }: { a: AccidentDetail }) {
  const t = useT();
  const hazards = useAsync((signal) => Promise.all(a.hazardIds.map((id) => api.get<Hazard>(`/api/hazards/${encodeURIComponent(id)}`, undefined, signal))), [a.hazardIds.join(',')]);
  return (
    <Card size="small" className="zb-card" title={t('acc.investigation')} extra={<InvestigationTag value={a.investigation} />} data-testid="acc-investigation">
      {a.investigation === 'pending' ? (
        <Typography.Text type="secondary">{t('acc.notInvestigated')}</Typography.Text>
      ) : (
        <Flex vertical gap={12}>
          <FactList
            labelWidth={130}
            items={[
              { key: 'lead', label: t('acc.leadBy'), children: a.investigationLeadBy ?? '—' },
              ...(a.responsibility ? [{ key: 'resp', label: t('acc.responsibility'), children: <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{a.responsibility}</Typography.Paragraph> }] : []),
              ...(a.reportFileIds.length
                ? [
                    {
                      key: 'files',
                      label: t('acc.reportFiles'),
                      children: <FileLinks ids={a.reportFileIds} />,
                    },
                  ]
                : []),
            ]}
          />
          {a.investigation === 'concluded' && (
            <div data-testid="acc-hazards">
              {a.hazardIds.length === 0 ? (
                <Typography.Text type="secondary">{t('acc.noHazards')}</Typography.Text>
              ) : hazards.error ? (
                <ErrorState error={hazards.error} onRetry={hazards.reload} />
              ) : (
                <Flex vertical gap={6}>
                  <Typography.Text strong>{t('acc.hazards', { n: a.hazardIds.length })}</Typography.Text>
                  {a.hazardIds.map((id) => {
                    const h = hazards.data?.find((x) => x.id === id);
                    return (
                      <Flex key={id} gap={6} wrap align="center">
                        <Link to={`/hazards/${id}`} className="zb-mono">
                          {h?.code ?? id}
                        </Link>
                        {h && <GradeTag value={h.grade} />}
                        {h && <StatusTag value={h.status} />}
                        {h && <Typography.Text type="secondary">{h.description}</Typography.Text>}
                      </Flex>
                    );
                  })}
                </Flex>
              )}
            </div>
          )}
        </Flex>
      )}
    </Card>
  );
}
