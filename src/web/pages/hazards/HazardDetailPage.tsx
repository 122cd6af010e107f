import { FileWordOutlined } from '@ant-design/icons';
import { App, Button, Card, Descriptions, Empty, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { SOURCE_LABELS } from '../../../shared/contracts/hazards';
import type { HazardAction, HazardDetail } from '../../../shared/contracts/hazards';
import { api } from '../../api';
import { DetailPage } from '../../components/DetailPage';
import type { DetailSection } from '../../components/DetailPage';
import { problemText } from '../../errors';
import { formatDateTime, formatYuan } from '../../format';
import { useAsync, useHazardCategories } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { useMe } from '../../session';
import { HazardActionButtons, HazardActionModal, HeldBackNotes } from './HazardActions';
import { GradeTag, OverdueTag, StatusTag, SupervisionTag } from './HazardTags';
import { HazardTimeline } from './HazardTimeline';

const dash = (v: string | null | undefined) => (v ? v : '—');

/** Where a hazard's origin record opens (the link back from the ledger to what found it). */
const ORIGIN_PATHS: Record<string, { path: (id: string, parentId?: string | null) => string; label: 'hz.origin.inspection' | 'hz.origin.selfcheck' | 'hz.origin.expertVisit' | 'hz.origin.engagement' | 'hz.origin.tip' | 'hz.origin.certificate' | 'hz.origin.campaign' } | undefined> = {
  campaign_target: { path: (_id, parentId) => `/campaigns/${encodeURIComponent(parentId ?? '')}`, label: 'hz.origin.campaign' },
  certificate: { path: (id) => `/certificates/${encodeURIComponent(id)}`, label: 'hz.origin.certificate' },
  agency_engagement: { path: (id) => `/agencies/engagements/${encodeURIComponent(id)}`, label: 'hz.origin.engagement' },
  expert_visit: { path: (id) => `/experts/visits/${encodeURIComponent(id)}`, label: 'hz.origin.expertVisit' },
  inspection: { path: (id) => `/enforcement/inspections/${encodeURIComponent(id)}`, label: 'hz.origin.inspection' },
  selfcheck: { path: (id) => `/selfchecks/${encodeURIComponent(id)}`, label: 'hz.origin.selfcheck' },
  tip: { path: (id) => `/tips/${encodeURIComponent(id)}`, label: 'hz.origin.tip' },
};

/** 隐患整改通知书: the Word notice an office serves on the enterprise (so not offered to enterprise users). */
function NoticeButton({ hazard }: { hazard: HazardDetail }) {
  const t = useT();
  const { lang } = useLang();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const fetchNotice = async () => {
    setBusy(true);
    try {
      await api.download(`/api/hazards/${encodeURIComponent(hazard.id)}/notice.docx`, undefined, `${hazard.code}.docx`);
    } catch (err) {
      void message.error(t('common.downloadFailed', { text: problemText(err, lang, t) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button icon={<FileWordOutlined />} loading={busy} onClick={() => void fetchNotice()} title={t('hz.noticeTitle')} data-testid="hazard-notice">
      {t('hz.notice')}
    </Button>
  );
}

export default function HazardDetailPage() {
  const { id = '' } = useParams();
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const [acting, setActing] = useState<HazardAction | null>(null);
  // The answer of the last action is the newest state; a reload replaces it.
  const [fresh, setFresh] = useState<HazardDetail | null>(null);
  const loaded = useAsync(async (signal) => {
    const d = await api.get<HazardDetail>(`/api/hazards/${encodeURIComponent(id)}`, undefined, signal);
    setFresh(null);
    return d;
  }, [id]);
  const categories = useHazardCategories();
  const h = fresh && fresh.id === id ? fresh : loaded.data;
  // A notice orders a rectification: only for a hazard under rectification (整改中, 待验收).
  const showNotice = me.role !== 'enterprise' && !!h && (h.status === 'rectifying' || h.status === 'pending_acceptance');

  const sections: DetailSection[] = h
    ? [
        {
          key: 'basic',
          title: t('hz.basic'),
          items: [
            {
              key: 'enterprise',
              label: t('hz.enterprise'),
              children: (
                <Link to={`/enterprises/${encodeURIComponent(h.enterpriseId)}`} data-testid="hazard-enterprise">
                  {h.enterpriseName ?? h.enterpriseId}
                </Link>
              ),
            },
            { key: 'region', label: t('hz.region'), children: [h.districtName, h.streetName].filter(Boolean).join(' · ') || '—' },
            { key: 'location', label: t('hz.location'), children: h.location },
            {
              key: 'source',
              label: t('hz.source'),
              children: (
                <>
                  {pick(lang, SOURCE_LABELS[h.source])}
                  {h.origin && ORIGIN_PATHS[h.origin.type] && (
                    <>
                      {' · '}
                      <Link to={ORIGIN_PATHS[h.origin.type]!.path(h.origin.id, h.origin.parentId)} data-testid="hazard-origin">
                        {t(ORIGIN_PATHS[h.origin.type]!.label)}
                      </Link>
                    </>
                  )}
                </>
              ),
            },
            {
              key: 'category',
              label: t('hz.category'),
              children: h.category ? (categories.data?.find((c) => c.code === h.category)?.label ?? h.category) : '—',
            },
            { key: 'found', label: t('hz.foundBy'), children: `${h.foundByName} · ${formatDateTime(h.foundAt)}` },
            {
              key: 'description',
              label: t('hz.description'),
              span: 'filled',
              children: (
                <span className="zb-pre" data-testid="hazard-description">
                  {h.description}
                </span>
              ),
            },
          ],
        },
        {
          key: 'rectification',
          title: t('hz.rectification'),
          items: [
            { key: 'status', label: t('hz.status'), children: <StatusTag value={h.status} /> },
            {
              key: 'deadline',
              label: t('hz.deadline'),
              children: (
                <>
                  {dash(h.deadline)} <OverdueTag overdue={h.overdue} />
                </>
              ),
            },
            {
              key: 'responsible',
              label: t('hz.responsible'),
              children: h.responsibleName ? (
                <>
                  {h.responsibleName}
                  {h.responsiblePhone && (
                    <>
                      {' · '}
                      <a href={`tel:${h.responsiblePhone}`}>{h.responsiblePhone}</a>
                    </>
                  )}
                </>
              ) : (
                '—'
              ),
            },
            { key: 'supervision', label: t('hz.supervision'), children: <SupervisionTag level={h.supervisionLevel} /> },
            ...(h.closedAt ? [{ key: 'closed', label: t('hz.closedAt'), children: formatDateTime(h.closedAt) }] : []),
          ],
        },
      ]
    : [];

  return (
    <>
      <DetailPage
        title={h ? <span className="zb-hazard-code">{h.code}</span> : t('hz.title')}
        tags={
          h && (
            <span className="zb-tags">
              <StatusTag value={h.status} />
              <GradeTag value={h.grade} />
              <OverdueTag overdue={h.overdue} />
              {h.supervisionLevel !== 'none' && <SupervisionTag level={h.supervisionLevel} />}
            </span>
          )
        }
        backTo="/hazards"
        loading={loaded.loading && !h}
        error={h ? null : loaded.error}
        onRetry={loaded.reload}
        testId="hazard-detail"
        actions={
          h &&
          (h.allowedActions.length > 0 || showNotice) && (
            <>
              {h.allowedActions.length > 0 && <HazardActionButtons hazard={h} onPick={setActing} />}
              {showNotice && <NoticeButton hazard={h} />}
            </>
          )
        }
        sections={sections}
      >
        {h && <HeldBackNotes hazard={h} />}
        {h && h.clauses.length > 0 && (
          <Card title={t('hz.clauses', { count: h.clauses.length })} className="zb-card" size="small" data-testid="hazard-clauses">
            {h.clauses.map((c) => (
              <div key={c.id} className="zb-clause">
                <div className="zb-clause-head">
                  <Link to={`/standards/${encodeURIComponent(c.standardId)}#clause-${c.id}`}>{c.standardTitle}</Link>
                  <Tag color="geekblue">{c.no}</Tag>
                </div>
                <div className="zb-clause-text">{c.text}</div>
              </div>
            ))}
          </Card>
        )}
        {h?.plan && (
          <Card title={t('hz.plan')} className="zb-card" size="small" data-testid="hazard-plan">
            <Descriptions
              bordered
              size="small"
              column={{ xs: 1, sm: 1, md: 3 }}
              styles={{ label: { whiteSpace: 'nowrap' } }}
              items={[
                { key: 'measures', label: t('hz.planMeasures'), span: 'filled', children: <span className="zb-pre">{h.plan.measures}</span> },
                { key: 'funds', label: t('hz.planFunds'), children: formatYuan(h.plan.fundsFen, lang) },
                { key: 'responsible', label: t('hz.planResponsible'), children: h.plan.responsibleName },
                { key: 'deadline', label: t('hz.planDeadline'), children: h.plan.deadline },
                { key: 'contingency', label: t('hz.planContingency'), span: 'filled', children: <span className="zb-pre">{h.plan.contingencyPlan}</span> },
              ]}
            />
          </Card>
        )}
        {h && (
          <Card title={t('hz.timeline')} className="zb-card" size="small">
            {h.events.length ? <HazardTimeline events={h.events} /> : <Empty description={t('common.empty')} />}
            <Typography.Text type="secondary" className="zb-muted" style={{ fontSize: 12 }}>
              {t('ent.updatedAt')} {formatDateTime(h.updatedAt)}
            </Typography.Text>
          </Card>
        )}
      </DetailPage>
      {h && (
        <HazardActionModal
          hazard={h}
          action={acting}
          onClose={() => setActing(null)}
          onDone={(d) => {
            setActing(null);
            setFresh(d);
          }}
          onConflict={loaded.reload}
        />
      )}
    </>
  );
}
