import { Alert, App, Button, Card, Checkbox, Descriptions, Empty, Flex, Input, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { CaseStatus, InspectionDetail } from '../../../shared/contracts/enforcement';
import { CASE_STATUSES, INSPECTION_TYPE_LABELS } from '../../../shared/contracts/enforcement';
import { STANDARDIZATION_LABELS } from '../../../shared/roles';
import { api, ApiError } from '../../api';
import { DocButton } from '../../components/DocButton';
import { ErrorState, PageLoading } from '../../components/Feedback';
import { FormError } from '../../components/FormParts';
import { PageHeader } from '../../components/PageHeader';
import { RiskTag } from '../../components/Tags';
import { problemText } from '../../errors';
import { formatDate } from '../../format';
import { useAsync, useIsPhone } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { useMe } from '../../session';
import { ItemText, ResultChoice } from '../selfchecks/tags';
import type { ItemResult } from '../selfchecks/tags';
import { mayManageEnforcement } from './access';
import { NewCaseDrawer, RecordTimeline } from './CasesView';
import { FindingList, FindingsForm } from '../../components/Findings';
import { CaseStatusTag, InspectionStatusTag, InspectionTypeTags } from './tags';
import { enforcementHref } from './viewParams';

type Results = Record<string, { result?: ItemResult; note?: string }>;
/** 现场执法检查, on the inspector's phone: start, go through the checklist, record findings with photos, have the enterprise sign, finish. */
export default function InspectionPage() {
  const { id } = useParams<{ id: string }>();
  const t = useT();
  const { lang } = useLang();
  const detail = useAsync((signal) => api.get<InspectionDetail>(`/api/inspections/${encodeURIComponent(id ?? '')}`, undefined, signal), [id]);
  const [results, setResults] = useState<Results>({});
  if (detail.error && !detail.loading) return <ErrorState error={detail.error} onRetry={detail.reload} />;
  if (!detail.data) return <PageLoading />;
  const i = detail.data;
  const answered: Results = { ...Object.fromEntries(i.results.map((r) => [r.itemId, { result: r.result, note: r.note ?? undefined }])), ...results };
  const finishing = i.allowedActions.includes('finish');
  return (
    <div className="zb-page zb-enf-inspection">
      <PageHeader
        title={i.enterpriseName}
        subTitle={`${i.code} · ${formatDate(i.date)}`}
        tags={
          <>
            <InspectionStatusTag status={i.status} />
            <InspectionTypeTags type={i.type} unannounced={i.unannounced} />
          </>
        }
        backTo="/enforcement"
      />
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <ActionsCard inspection={i} onChanged={detail.reload} />
        <EnterpriseCard inspection={i} />
        {i.follows && (
          <Card size="small" className="zb-card" title={t('enf.ins.follows', { code: i.follows.code, date: formatDate(i.follows.date) })}>
            <FindingList findings={i.follows.findings} />
          </Card>
        )}
        {i.checklist && <ChecklistCard inspection={i} results={answered} editable={finishing && i.mayRecord} onChange={(itemId, r) => setResults((m) => ({ ...m, [itemId]: { ...m[itemId], ...r } }))} />}
        {i.mayRecord && <FindingsForm postUrl={`/api/inspections/${encodeURIComponent(i.id)}/findings`} version={i.version} items={i.checklist?.items ?? []} deadlines onDone={detail.reload} />}
        <Card size="small" className="zb-card" title={t('enf.ins.findings', { n: i.findingsList.length })} data-testid="enf-ins-findings">
          {i.findingsList.length ? <FindingList findings={i.findingsList} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={i.status === 'finished' ? t('enf.ins.noFindingsDone') : t('enf.ins.noFindings')} />}
        </Card>
        {finishing && <FinishCard inspection={i} results={answered} onDone={detail.reload} />}
        {i.signature && (
          <Card size="small" className="zb-card" title={t('enf.ins.signature')} data-testid="enf-ins-signature">
            {i.signature.refused ? <Tag color="red">{t('enf.ins.refused')}</Tag> : <Typography.Text strong>{i.signature.signedBy}</Typography.Text>}
            {i.signature.note && <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>{i.signature.note}</Typography.Paragraph>}
          </Card>
        )}
        {i.cases.length > 0 && (
          <Card size="small" className="zb-card" title={t('enf.ins.cases')}>
            <Flex gap={12} wrap>
              {i.cases.map((c) => (
                <Link key={c.id} to={enforcementHref('cases', { case: c.id })}>
                  {c.code} {(CASE_STATUSES as readonly string[]).includes(c.status) && <CaseStatusTag status={c.status as CaseStatus} />}
                </Link>
              ))}
            </Flex>
          </Card>
        )}
        <Card size="small" className="zb-card" title={t('enf.ins.past')} data-testid="enf-ins-past">
          {i.pastInspections.length ? (
            <Flex vertical gap={6}>
              {i.pastInspections.map((p) => (
                <Flex key={p.id} justify="space-between" gap={8} wrap>
                  <Link to={`/enforcement/inspections/${p.id}`}>{`${formatDate(p.date)} ${pick(lang, INSPECTION_TYPE_LABELS[p.type])}`}</Link>
                  <Typography.Text type="secondary">{p.findings ? t('enf.ins.pastFindings', { n: p.findings }) : t('enf.ins.pastNone')}</Typography.Text>
                </Flex>
              ))}
            </Flex>
          ) : (
            <Typography.Text type="secondary">{t('enf.ins.noPast')}</Typography.Text>
          )}
        </Card>
        {i.events.length > 0 && (
          <Card size="small" className="zb-card" title={t('enf.ins.events')}>
            <RecordTimeline events={i.events} label={(a) => (['create', 'start', 'finish', 'findings'].includes(a) ? t(`enf.ins.event.${a as 'start'}`) : a)} />
          </Card>
        )}
      </Space>
    </div>
  );
}

/** Start, the two documents, and 立案 for an officer or one of its inspectors. */
function ActionsCard({ inspection: i, onChanged }: { inspection: InspectionDetail; onChanged: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const phone = useIsPhone();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [filing, setFiling] = useState(false);
  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/inspections/${encodeURIComponent(i.id)}/actions/start`, { version: i.version });
      message.success(t('enf.ins.started'));
      onChanged();
    } catch (err) {
      setError(problemText(err, lang, t));
      if (err instanceof ApiError && err.code === 'VERSION_CONFLICT') onChanged();
    } finally {
      setBusy(false);
    }
  };
  // Officers, and the inspection's own inspectors, open a case once it has started.
  const mayFile = (mayManageEnforcement(me) || (me.role === 'inspector' && i.inspectorIds.includes(me.id))) && i.status !== 'planned';
  const block = phone ? { block: true } : {};
  return (
    <Card size="small" className="zb-card" data-testid="enf-ins-actions">
      <FormError error={error} />
      <Flex gap={8} wrap vertical={phone}>
        {i.allowedActions.includes('start') && (
          <Button type="primary" size={phone ? 'large' : 'middle'} {...block} loading={busy} onClick={() => void start()} data-testid="enf-ins-start">
            {t('enf.ins.start')}
          </Button>
        )}
        {i.status !== 'planned' && (
          <DocButton {...block} path={`/api/inspections/${encodeURIComponent(i.id)}/record.docx`} fileName={`${i.code}-${t('enf.doc.record')}.docx`} data-testid="enf-ins-record-docx">
            {t('enf.doc.record')}
          </DocButton>
        )}
        {i.findingsList.length > 0 && (
          <DocButton {...block} path={`/api/inspections/${encodeURIComponent(i.id)}/order.docx`} fileName={`${i.code}-${t('enf.doc.order')}.docx`} data-testid="enf-ins-order-docx">
            {t('enf.doc.order')}
          </DocButton>
        )}
        {mayFile && (
          <Button danger {...block} onClick={() => setFiling(true)} data-testid="enf-ins-file-case">
            {t('enf.case.file')}
          </Button>
        )}
      </Flex>
      {i.status === 'planned' && !i.allowedActions.includes('start') && <Typography.Text type="secondary">{t('enf.ins.notStarted')}</Typography.Text>}
      {filing && <NewCaseDrawer inspection={i} onClose={() => setFiling(false)} onDone={(c) => navigate(enforcementHref('cases', { case: c.id }))} />}
    </Card>
  );
}

function EnterpriseCard({ inspection: i }: { inspection: InspectionDetail }) {
  const t = useT();
  const { lang } = useLang();
  const e = i.enterprise;
  return (
    <Card size="small" className="zb-card" title={t('enf.ins.enterprise')} data-testid="enf-ins-enterprise">
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, md: 3 }}
        items={[
          { key: 'uscc', label: t('enf.ins.uscc'), children: e.uscc },
          { key: 'address', label: t('enf.ins.address'), children: e.address || '—' },
          { key: 'principal', label: t('enf.ins.principal'), children: e.principalName || '—' },
          { key: 'class', label: t('enf.riskClass'), children: <RiskTag value={e.riskClass} /> },
          { key: 'std', label: t('enf.standardization'), children: pick(lang, STANDARDIZATION_LABELS[e.standardizationLevel]) },
          {
            key: 'open',
            label: t('enf.ins.openHazards'),
            children: (
              <Link to={`/hazards?enterpriseId=${encodeURIComponent(e.id)}`} data-testid="enf-ins-open-hazards" data-value={e.openHazards}>
                {e.openMajorHazards ? t('enf.ins.openN', { n: e.openHazards, major: e.openMajorHazards }) : String(e.openHazards)}
              </Link>
            ),
          },
          { key: 'inspectors', label: t('enf.col.inspectors'), children: i.inspectorNames.join('、') },
          ...(i.drawId ? [{ key: 'draw', label: t('enf.ins.draw'), children: <Link to={enforcementHref('draws', { draw: i.drawId })}>{t('enf.ins.openDraw')}</Link> }] : []),
          ...(i.note ? [{ key: 'note', label: t('enf.ins.note'), children: i.note }] : []),
        ]}
      />
    </Card>
  );
}

function ChecklistCard({ inspection: i, results, editable, onChange }: { inspection: InspectionDetail; results: Results; editable: boolean; onChange: (itemId: string, r: Results[string]) => void }) {
  const t = useT();
  const items = i.checklist?.items ?? [];
  const done = items.filter((it) => results[it.id]?.result).length;
  return (
    <Card size="small" className="zb-card" title={`${t('enf.ins.checklist')} · ${i.checklist?.title ?? ''}`} extra={<Typography.Text type="secondary" data-testid="enf-ins-progress">{t('enf.ins.progress', { done, total: items.length })}</Typography.Text>}>
      <Flex vertical gap={12}>
        {items.map((it) => {
          const r = results[it.id];
          return (
            <div key={it.id} data-testid={`enf-ins-item-${it.seq}`}>
              <ItemText seq={it.seq} text={it.text} clauseNo={it.clauseNo} />
              {editable ? (
                <ResultChoice value={r?.result} onChange={(result) => onChange(it.id, { result })} data-testid={`enf-ins-item-${it.seq}-result`} />
              ) : r?.result ? (
                <Tag color={r.result === 'hazard' ? 'red' : r.result === 'ok' ? 'green' : 'default'}>{t(`sc.result.${r.result}`)}</Tag>
              ) : (
                <Tag>—</Tag>
              )}
              {r?.note && !editable && <Typography.Text type="secondary">（{r.note}）</Typography.Text>}
            </div>
          );
        })}
      </Flex>
      {editable && items.some((it) => results[it.id]?.result === 'hazard') && <Alert type="info" showIcon title={t('enf.ins.itemHazardHint')} style={{ marginTop: 12 }} />}
    </Card>
  );
}

/** 完成检查: the enterprise's signature (or its refusal, with a note) and the checklist's results. */
function FinishCard({ inspection: i, results, onDone }: { inspection: InspectionDetail; results: Results; onDone: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const phone = useIsPhone();
  const { message } = App.useApp();
  const [signedBy, setSignedBy] = useState(i.enterprise.principalName ?? '');
  const [refused, setRefused] = useState(false);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const items = i.checklist?.items ?? [];
  const missing = items.filter((it) => !results[it.id]?.result).length;
  const finish = async () => {
    setError(null);
    if (!refused && !signedBy.trim()) return setError(t('enf.ins.signerRequired'));
    if (refused && note.trim().length < 2) return setError(t('enf.ins.refusedNoteRequired'));
    setBusy(true);
    try {
      const answered = items.filter((it) => results[it.id]?.result).map((it) => ({ itemId: it.id, result: results[it.id].result!, note: results[it.id].note?.trim() || undefined }));
      await api.post(`/api/inspections/${encodeURIComponent(i.id)}/actions/finish`, {
        version: i.version,
        results: answered.length ? answered : undefined,
        signedBy: refused ? undefined : signedBy.trim(),
        refused: refused || undefined,
        note: note.trim() || undefined,
      });
      message.success(t('enf.ins.finished'));
      onDone();
    } catch (err) {
      setError(problemText(err, lang, t));
      if (err instanceof ApiError && err.code === 'VERSION_CONFLICT') onDone();
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" className="zb-card" title={t('enf.ins.finishTitle')} data-testid="enf-ins-finish-card">
      <Flex vertical gap={10}>
        {missing > 0 && <Alert type="warning" showIcon title={t('enf.ins.unanswered', { n: missing })} />}
        <Input placeholder={t('enf.ins.signerPh')} aria-label={t('enf.ins.signer')} maxLength={50} value={signedBy} disabled={refused} onChange={(e) => setSignedBy(e.target.value)} data-testid="enf-ins-signer" />
        <Checkbox checked={refused} onChange={(e) => setRefused(e.target.checked)} data-testid="enf-ins-refused">
          {t('enf.ins.refuse')}
        </Checkbox>
        <Input.TextArea rows={2} maxLength={500} placeholder={refused ? t('enf.ins.refusedNotePh') : t('enf.ins.notePh')} value={note} onChange={(e) => setNote(e.target.value)} data-testid="enf-ins-note" />
        <FormError error={error} />
        <Button type="primary" size={phone ? 'large' : 'middle'} block={phone} loading={busy} onClick={() => void finish()} data-testid="enf-ins-finish">
          {t('enf.ins.finish')}
        </Button>
      </Flex>
    </Card>
  );
}
