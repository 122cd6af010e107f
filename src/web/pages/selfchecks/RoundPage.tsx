import { Alert, App, Button, Card, Checkbox, Descriptions, Empty, Flex, Input, Radio, Select, Space, Tag, Timeline, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { RoundDetail } from '../../../shared/contracts/checklists';
import { api, ApiError } from '../../api';
import { ClauseSelect } from '../../components/ClauseSelect';
import { EvidenceUpload } from '../../components/EvidenceUpload';
import { ErrorState, PageLoading } from '../../components/Feedback';
import { FormError } from '../../components/FormParts';
import { PageHeader } from '../../components/PageHeader';
import { problemText } from '../../errors';
import { formatDate, formatDateTime } from '../../format';
import { useAsync, useIsPhone } from '../../hooks';
import { useLang, useT } from '../../i18n';
import { ItemText, periodText, ResultChoice, RoundStatusTag } from './tags';
import type { ItemResult } from './tags';

interface Draft {
  result?: ItemResult;
  note?: string;
  description?: string;
  grade: 'general' | 'major';
  location?: string;
  fixedOnSpot: boolean;
  photos: string[];
  /** For a major hazard on an item that cites no clause: the clause it meets. */
  clauseId?: string;
}
const blank = (): Draft => ({ grade: 'general', fixedOnSpot: false, photos: [] });

/** 自查记录: the enterprise goes through the items on a phone and signs it off; afterwards everyone in scope reads it and may annotate. */
export default function RoundPage() {
  const { id } = useParams<{ id: string }>();
  const t = useT();
  const { lang } = useLang();
  const round = useAsync((signal) => api.get<RoundDetail>(`/api/selfchecks/${id}`, undefined, signal), [id]);
  if (round.error && !round.loading) return <ErrorState error={round.error} onRetry={round.reload} />;
  if (!round.data) return <PageLoading />;
  const r = round.data;
  return (
    <div className="zb-page zb-round">
      <PageHeader
        title={r.checklistTitle}
        subTitle={`${r.enterpriseName} · ${periodText(r.period, lang)} · ${t('sc.col.due')} ${formatDate(r.dueDate)}`}
        tags={<RoundStatusTag status={r.status} />}
        backTo="/selfchecks"
      />
      {r.maySubmit ? <RoundForm round={r} onDone={round.reload} /> : <RoundRecord round={r} onChanged={round.reload} />}
    </div>
  );
}

function RoundForm({ round, onDone }: { round: RoundDetail; onDone: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const phone = useIsPhone();
  const { message } = App.useApp();
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [signer, setSigner] = useState<string | undefined>(round.signers.length === 1 ? round.signers[0].name : undefined);
  const [confirmZero, setConfirmZero] = useState(false);
  const [busy, setBusy] = useState(false);
  // Which items' photos are still uploading (a status per item, as the upload reports it).
  const [uploading, setUploading] = useState<Record<string, boolean>>({});
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const draft = (itemId: string) => drafts[itemId] ?? blank();
  const change = (itemId: string, patch: Partial<Draft>) => setDrafts((d) => ({ ...d, [itemId]: { ...(d[itemId] ?? blank()), ...patch } }));
  const done = round.items.filter((i) => drafts[i.id]?.result).length;
  const hazards = round.items.filter((i) => drafts[i.id]?.result === 'hazard').length;

  const submit = async () => {
    setError(null);
    setFieldErrors({});
    const results = round.items.map((i) => {
      const d = draft(i.id);
      const base = { itemId: i.id, result: d.result, note: d.note?.trim() || undefined, attachmentIds: d.photos.length ? d.photos : undefined };
      if (d.result !== 'hazard') return base;
      const clauseIds = d.grade === 'major' && !i.clauseId && d.clauseId ? [d.clauseId] : undefined;
      return { ...base, hazard: { description: d.description?.trim() ?? '', grade: d.grade, location: d.location?.trim() || undefined, clauseIds, fixedOnSpot: d.grade === 'general' && d.fixedOnSpot ? true : undefined } };
    });
    if (done < round.items.length) {
      setError(t('sc.progress', { done, total: round.items.length }));
      return;
    }
    setBusy(true);
    try {
      const after = await api.post<RoundDetail>(`/api/selfchecks/${round.id}/submit`, { version: round.version, results, signedBy: signer ?? '', confirmNoFindings: hazards === 0 ? confirmZero : undefined });
      message.success(after.findings ? t('sc.submittedHazards', { n: after.findings }) : t('sc.submitted'));
      onDone();
    } catch (err) {
      setError(problemText(err, lang, t));
      if (err instanceof ApiError && err.problem?.errors) setFieldErrors(Object.fromEntries(err.problem.errors.map((e) => [e.path, e.message])));
      if (err instanceof ApiError && (err.code === 'VERSION_CONFLICT' || err.code === 'ALREADY_SUBMITTED')) onDone();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Typography.Text type="secondary" data-testid="round-progress">
        {t('sc.progress', { done, total: round.items.length })}
      </Typography.Text>
      {round.items.map((item, k) => {
        const d = draft(item.id);
        const err = (p: string) => fieldErrors[`results.${k}.${p}`];
        return (
          <Card key={item.id} size="small" className="zb-card" data-testid={`round-item-${item.seq}`}>
            <ItemText seq={item.seq} text={item.text} clauseNo={item.clauseNo} />
            <ResultChoice value={d.result} onChange={(result) => change(item.id, { result })} data-testid={`round-item-${item.seq}-result`} />
            {d.result === 'hazard' && (
              <Flex vertical gap={8} style={{ marginTop: 12 }}>
                <Input.TextArea
                  rows={3}
                  maxLength={2000}
                  placeholder={t('sc.hazardDescriptionPh')}
                  aria-label={t('sc.hazardDescription')}
                  value={d.description}
                  status={err('hazard.description') ? 'error' : undefined}
                  onChange={(e) => change(item.id, { description: e.target.value })}
                  data-testid={`round-item-${item.seq}-description`}
                />
                {err('hazard.description') && <Typography.Text type="danger">{err('hazard.description')}</Typography.Text>}
                <Radio.Group
                  optionType="button"
                  value={d.grade}
                  onChange={(e) => change(item.id, { grade: e.target.value, fixedOnSpot: e.target.value === 'major' ? false : d.fixedOnSpot })}
                  options={[
                    { value: 'general', label: t('sc.gradeGeneral') },
                    { value: 'major', label: t('sc.gradeMajor') },
                  ]}
                  data-testid={`round-item-${item.seq}-grade`}
                />
                {d.grade === 'major' && <Alert type="warning" showIcon title={item.clauseId ? t('sc.majorHint') : t('sc.majorPick')} />}
                {d.grade === 'major' && !item.clauseId && (
                  <ClauseSelect value={d.clauseId} onChange={(v) => change(item.id, { clauseId: v })} hint={item.text} data-testid={`round-item-${item.seq}-clause`} />
                )}
                <Input placeholder={t('sc.location')} maxLength={300} value={d.location} onChange={(e) => change(item.id, { location: e.target.value })} data-testid={`round-item-${item.seq}-location`} />
                {d.grade === 'general' && (
                  <Checkbox checked={d.fixedOnSpot} onChange={(e) => change(item.id, { fixedOnSpot: e.target.checked })} data-testid={`round-item-${item.seq}-spot`}>
                    {t('sc.fixedOnSpot')}
                  </Checkbox>
                )}
              </Flex>
            )}
            {d.result && (
              <Flex vertical gap={8} style={{ marginTop: 8 }}>
                <Input placeholder={t('sc.note')} maxLength={1000} value={d.note} onChange={(e) => change(item.id, { note: e.target.value })} />
                {d.result === 'hazard' && (
                  <EvidenceUpload
                    photosOnly
                    max={5}
                    value={d.photos}
                    onChange={(photos) => change(item.id, { photos })}
                    onUploadingChange={(u) => setUploading((m) => ({ ...m, [item.id]: u }))}
                    data-testid={`round-item-${item.seq}-photos`}
                  />
                )}
                {err('attachmentIds') && <Typography.Text type="danger">{err('attachmentIds')}</Typography.Text>}
              </Flex>
            )}
          </Card>
        );
      })}
      <Card size="small" className="zb-card" title={t('sc.signer')}>
        <Flex vertical gap={12}>
          <Select
            placeholder={t('sc.signerPh')}
            value={signer}
            onChange={setSigner}
            options={round.signers.map((s) => ({ value: s.name, label: `${s.name}（${s.role}）` }))}
            status={fieldErrors.signedBy ? 'error' : undefined}
            data-testid="round-signer"
          />
          {hazards === 0 && (
            <Checkbox checked={confirmZero} onChange={(e) => setConfirmZero(e.target.checked)} data-testid="round-confirm-zero">
              {t('sc.confirmZero')}
            </Checkbox>
          )}
          <FormError error={error} />
          <Button type="primary" size={phone ? 'large' : 'middle'} block={phone} loading={busy} disabled={Object.values(uploading).some(Boolean)} onClick={() => void submit()} data-testid="round-submit">
            {t('sc.submit')}
          </Button>
        </Flex>
      </Card>
    </Space>
  );
}

function RoundRecord({ round, onChanged }: { round: RoundDetail; onChanged: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const { message } = App.useApp();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const results = useMemo(() => new Map(round.results.map((r) => [r.itemId, r])), [round.results]);
  const annotate = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/selfchecks/${round.id}/annotations`, { comment: note });
      setNote('');
      message.success(t('sc.annotated'));
      onChanged();
    } catch (err) {
      setError(problemText(err, lang, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      {round.submittedAt ? (
        <Card size="small" className="zb-card">
          <Descriptions
            size="small"
            column={{ xs: 1, sm: 2, md: 3 }}
            items={[
              { key: 'at', label: t('sc.col.submitted'), children: formatDateTime(round.submittedAt) },
              { key: 'by', label: t('sc.signedBy'), children: `${round.signedByName ?? ''}（${round.signedByRole ?? ''}）` },
              { key: 'n', label: t('sc.findings'), children: round.findings ? <Tag color="red" data-testid="round-findings">{round.findings}</Tag> : <Tag color="green" data-testid="round-findings">{t('sc.zero')}</Tag> },
            ]}
          />
        </Card>
      ) : (
        <Alert type="info" showIcon title={t('sc.readOnly')} />
      )}
      <Card size="small" className="zb-card" title={t('sc.results')}>
        {round.items.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
        ) : (
          <Flex vertical gap={8}>
            {round.items.map((item) => {
              const r = results.get(item.id);
              return (
                <Flex key={item.id} justify="space-between" gap={8} wrap data-testid={`round-result-${item.seq}`}>
                  <span style={{ flex: '1 1 240px' }}>
                    {item.seq}. {item.text}
                    {r?.note && <Typography.Text type="secondary">（{r.note}）</Typography.Text>}
                  </span>
                  <span>
                    {r ? <Tag color={r.result === 'hazard' ? 'red' : r.result === 'ok' ? 'green' : 'default'}>{t(`sc.result.${r.result}`)}</Tag> : <Tag>—</Tag>}
                    {r?.hazardId && (
                      <Link to={`/hazards/${r.hazardId}`} data-testid="round-hazard-link">
                        {r.hazardCode}
                      </Link>
                    )}
                  </span>
                </Flex>
              );
            })}
          </Flex>
        )}
      </Card>
      {round.events.length > 0 && (
        <Card size="small" className="zb-card" title={t('sc.events')}>
          <Timeline
            items={round.events.map((e) => ({
              key: e.seq,
              content: (
                <span data-testid="round-event">
                  <Typography.Text strong>{t(`sc.event.${e.action}`)}</Typography.Text> · {e.actorName} · {formatDateTime(e.at)}
                  {e.comment && <div>{e.comment}</div>}
                </span>
              ),
            }))}
          />
        </Card>
      )}
      {round.mayAnnotate && (
        <Card size="small" className="zb-card" title={t('sc.annotate')}>
          <Flex vertical gap={8}>
            <Input.TextArea rows={2} maxLength={1000} placeholder={t('sc.annotatePh')} value={note} onChange={(e) => setNote(e.target.value)} data-testid="round-annotation" />
            <FormError error={error} />
            <Button onClick={() => void annotate()} loading={busy} disabled={note.trim().length < 2} data-testid="round-annotate">
              {t('sc.annotateSend')}
            </Button>
          </Flex>
        </Card>
      )}
    </Space>
  );
}
