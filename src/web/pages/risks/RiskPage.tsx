import { EditOutlined, LinkOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Flex, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { RISK_LEVEL_LABELS, RISK_METHOD_LABELS } from '../../../shared/contracts/risks';
import type { RiskDetail, RiskLevel } from '../../../shared/contracts/risks';
import { OPEN_STATUSES } from '../../../shared/contracts/hazards';
import type { HazardGrade, HazardStatus } from '../../../shared/contracts/hazards';
import { shanghaiDate } from '../../../shared/dates';
import { api, request } from '../../api';
import { FactList } from '../../components/FactList';
import { ErrorState, PageLoading } from '../../components/Feedback';
import { PageHeader } from '../../components/PageHeader';
import { problemText } from '../../errors';
import { useAsync, useStreets } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import type { Lang, Translate } from '../../i18n';
import { RecordTimeline } from '../enforcement/CasesView';
import { GradeTag, OverdueTag, StatusTag } from '../hazards/HazardTags';
import { LinkHazardsModal } from './LinkHazards';
import { inputsText } from './methods';
import { riskUrl } from './model';
import type { RiskWithEvents } from './model';
import { RiskFormDrawer } from './RiskForm';
import { FlaggedTag, ReviewDueTag, RiskLevelTag } from './tags';
import './risks.css';

// The date the server gives the thresholds it ships with (rules.ts): no office has set its own yet.
const DEFAULT_RULE_FROM = '1949-01-01';
const EVENTS = ['created', 'edited', 'reassessed', 'hazards_linked', 'hazard_unlinked'] as const;

/** A risk item: its level with the reason, where it is and whom it concerns, its measures, the hazards linked, its timeline. */
export default function RiskPage() {
  const { id = '' } = useParams<{ id: string }>();
  const detail = useAsync((signal) => api.get<RiskWithEvents>(riskUrl(id), undefined, signal), [id]);
  if (detail.error && !detail.loading) return <ErrorState error={detail.error} onRetry={detail.reload} />;
  if (!detail.data) return <PageLoading />;
  return <RiskBody r={detail.data} reload={detail.reload} />;
}

function RiskBody({ r, reload }: { r: RiskWithEvents; reload: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const { message } = App.useApp();
  const [editing, setEditing] = useState(false);
  const [linking, setLinking] = useState(false);
  const streets = useStreets(r.streetCode ? r.districtCode : undefined);
  const street = r.streetCode ? (streets.data?.find((s) => s.code === r.streetCode)?.name ?? r.streetCode) : null;
  return (
    <div className="zb-page" data-testid="risk-detail">
      <PageHeader
        title={r.name}
        subTitle={<span className="zb-mono">{r.code}</span>}
        tags={
          <Space size={4} wrap>
            <RiskLevelTag level={r.level} />
            <FlaggedTag flagged={r.flagged} />
            <ReviewDueTag due={r.reviewDue} />
            <Tag>{r.type}</Tag>
          </Space>
        }
        backTo="/risks"
        extra={
          r.mayEdit && (
            <>
              <Button icon={<LinkOutlined />} onClick={() => setLinking(true)} data-testid="risk-link-hazards">
                {t('risk.linkHazards')}
              </Button>
              <Button type="primary" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="risk-edit">
                {t('common.edit')}
              </Button>
            </>
          )
        }
      />
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Card size="small" className="zb-card" title={t('risk.assessment')}>
          <FactList
            labelWidth={130}
            items={[
              {
                key: 'level',
                label: t('risk.f.level'),
                children: (
                  <Flex vertical gap={4}>
                    <Space size={6} wrap>
                      <RiskLevelTag level={r.level} />
                      <Typography.Text data-testid="risk-level-reason">{lang === 'en' ? r.levelReasonEn : r.levelReason}</Typography.Text>
                    </Space>
                    <Typography.Text type="secondary">{r.ruleFrom === DEFAULT_RULE_FROM ? t('risk.f.ruleDefault') : t('risk.f.ruleFrom', { date: r.ruleFrom })}</Typography.Text>
                  </Flex>
                ),
              },
              { key: 'method', label: t('risk.f.method'), children: pick(lang, RISK_METHOD_LABELS[r.method]) },
              { key: 'inputs', label: t('risk.f.inputs'), children: <span data-testid="risk-inputs">{`${inputsText(lang, r.method, r.inputs)} → ${r.score}`}</span> },
              { key: 'place', label: t('risk.f.where'), children: [r.districtName ?? r.districtCode, street, r.place].filter(Boolean).join(' · ') },
              ...(r.lng !== null && r.lat !== null ? [{ key: 'coords', label: t('risk.f.coords'), children: `${r.lng}, ${r.lat}` }] : []),
              {
                key: 'enterprises',
                label: t('risk.f.enterprises'),
                children: r.enterprises.length ? (
                  <Flex gap={8} wrap>
                    {r.enterprises.map((e) => (
                      <Link key={e.id} to={`/enterprises/${encodeURIComponent(e.id)}`} data-testid="risk-enterprise">
                        {e.name}
                      </Link>
                    ))}
                  </Flex>
                ) : (
                  '—'
                ),
              },
              { key: 'review', label: t('risk.f.reviewOn'), children: <Space size={6}>{r.reviewOn ?? '—'}<ReviewDueTag due={r.reviewDue} /></Space> },
              ...(r.roundId ? [{ key: 'round', label: t('risk.f.round'), children: <Link to={`/risks/rounds/${encodeURIComponent(r.roundId)}`}>{t('risk.f.roundOpen')}</Link> }] : []),
            ]}
          />
        </Card>
        <Measures r={r} />
        <LinkedHazards r={r} onChanged={reload} />
        <Card size="small" className="zb-card" title={t('risk.events')}>
          <RecordTimeline events={r.events.map((e) => ({ ...e, comment: eventComment(t, lang, e) }))} label={(a) => ((EVENTS as readonly string[]).includes(a) ? t(`risk.event.${a as (typeof EVENTS)[number]}`) : a)} />
        </Card>
      </Space>
      {editing && (
        <RiskFormDrawer
          risk={r}
          onClose={() => setEditing(false)}
          onSaved={(saved) => {
            setEditing(false);
            void message.success({ content: t('risk.saved', { level: pick(lang, RISK_LEVEL_LABELS[saved.level]), reason: lang === 'en' ? saved.levelReasonEn : saved.levelReason }), duration: 6 });
            reload();
          }}
          onConflict={() => {
            setEditing(false);
            reload();
          }}
        />
      )}
      {linking && (
        <LinkHazardsModal
          risk={r}
          onClose={() => setLinking(false)}
          onLinked={() => {
            setLinking(false);
            void message.success(t('risk.linked'));
            reload();
          }}
        />
      )}
    </div>
  );
}

/** A reassessment says how the level moved, a link how many hazards; beside the officer's note. */
function eventComment(t: Translate, lang: Lang, e: RiskWithEvents['events'][number]): string | null {
  const d = e.data as { before?: { level?: RiskLevel }; after?: { level?: RiskLevel }; level?: RiskLevel; hazardIds?: string[] } | null;
  const parts = [e.comment];
  if (e.action === 'created' && d?.level) parts.push(pick(lang, RISK_LEVEL_LABELS[d.level]));
  if (d?.before?.level && d.after?.level) parts.push(t('risk.event.levelChange', { from: pick(lang, RISK_LEVEL_LABELS[d.before.level]), to: pick(lang, RISK_LEVEL_LABELS[d.after.level]) }));
  if (d?.hazardIds) parts.push(t('risk.event.linkedN', { n: d.hazardIds.length }));
  return parts.filter(Boolean).join(' · ') || null;
}

function Measures({ r }: { r: RiskDetail }) {
  const t = useT();
  type M = RiskDetail['measures'][number];
  const columns: TableColumnsType<M> = [
    { key: 'measure', title: t('risk.f.measure'), dataIndex: 'measure' },
    { key: 'owner', title: t('risk.f.owner'), dataIndex: 'owner' },
    {
      key: 'deadline',
      title: t('risk.f.deadline'),
      render: (_, m) => (
        <Space size={4}>
          <span className="zb-nowrap">{m.deadline ?? '—'}</span>
          {m.overdue && (
            <Tag color="error" variant="solid" data-testid="risk-measure-overdue">
              {t('risk.measureOverdue')}
            </Tag>
          )}
        </Space>
      ),
    },
  ];
  return (
    <Card size="small" className="zb-card" title={t('risk.f.measures')}>
      <Table<M>
        rowKey={(m) => `${m.measure}|${m.owner}`}
        size="small"
        columns={columns}
        dataSource={r.measures}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('risk.noMeasures')} /> }}
        data-testid="risk-measures"
      />
    </Card>
  );
}

/** The hazards on the ledger linked to the item (those the reader may see), open ones first. */
function LinkedHazards({ r, onChanged }: { r: RiskDetail; onChanged: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const { message } = App.useApp();
  type H = RiskDetail['hazards'][number];
  const today = shanghaiDate(new Date());
  const unlink = async (h: H) => {
    try {
      await request('DELETE', riskUrl(r.id, `/hazards/${encodeURIComponent(h.id)}`));
      void message.success(t('risk.unlinked'));
      onChanged();
    } catch (err) {
      void message.error(problemText(err, lang, t));
    }
  };
  const columns: TableColumnsType<H> = [
    {
      key: 'code',
      title: t('hz.code'),
      render: (_, h) => (
        <Link to={`/hazards/${encodeURIComponent(h.id)}`} className="zb-mono zb-nowrap" data-testid="risk-hazard-link">
          {h.code}
        </Link>
      ),
    },
    { key: 'description', title: t('hz.description'), dataIndex: 'description', render: (v: string) => <span className="zb-risk-hazard-text">{v}</span> },
    { key: 'enterprise', title: t('hz.enterprise'), render: (_, h) => h.enterpriseName ?? '—' },
    { key: 'grade', title: t('hz.grade'), render: (_, h) => <GradeTag value={h.grade as HazardGrade} /> },
    { key: 'status', title: t('hz.status'), render: (_, h) => <StatusTag value={h.status as HazardStatus} /> },
    {
      key: 'deadline',
      title: t('hz.deadline'),
      render: (_, h) => (
        <Space size={4}>
          <span className="zb-nowrap">{h.deadline ?? '—'}</span>
          <OverdueTag overdue={!!h.deadline && h.deadline < today && (OPEN_STATUSES as readonly string[]).includes(h.status)} />
        </Space>
      ),
    },
    ...(r.mayEdit
      ? [
          {
            key: 'unlink',
            title: t('common.actions'),
            render: (_: unknown, h: H) => (
              <Popconfirm title={t('risk.unlinkConfirm')} onConfirm={() => unlink(h)}>
                <Button type="link" size="small" danger>
                  {t('risk.unlink')}
                </Button>
              </Popconfirm>
            ),
          },
        ]
      : []),
  ];
  return (
    <Card
      size="small"
      className="zb-card"
      title={
        <Space size={8}>
          {t('risk.hazards')}
          {r.openHazards > 0 && <Typography.Text type="secondary">{t('risk.hazardsN', { n: r.openHazards, major: r.openMajorHazards })}</Typography.Text>}
        </Space>
      }
    >
      <Table<H>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={r.hazards}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('risk.noHazards')} /> }}
        data-testid="risk-hazards"
      />
    </Card>
  );
}
