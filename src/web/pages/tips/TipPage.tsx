import { EyeOutlined, LockOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Empty, Flex, Image, Input, InputNumber, Modal, Radio, Select, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { z } from 'zod';
import { TIP_ACTION_LABELS, TIP_CATEGORY_LABELS, TIP_CHANNEL_LABELS, REWARD_STATUS_LABELS } from '../../../shared/contracts/tips';
import type { RevealedIdentity, TipAction, TipDetail } from '../../../shared/contracts/tips';
import { api, ApiError } from '../../api';
import { FactList } from '../../components/FactList';
import { ErrorState, PageLoading } from '../../components/Feedback';
import { FindingList, FindingsForm } from '../../components/Findings';
import { FormError, useAction } from '../../components/FormParts';
import { PageHeader } from '../../components/PageHeader';
import { formatDate, formatDateTime } from '../../format';
import { useAsync, useIsPhone } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { RecordTimeline } from '../enforcement/CasesView';
import { Countdown, nextDeadline, TipStatusTag } from './TipsPage';

const tipUrl = (id: string, rest = '') => `/api/tips/${encodeURIComponent(id)}${rest}`;

/** A tip as its handlers see it: what was reported (never by whom), its deadlines, its steps, what verification found, its reward. */
export default function TipPage() {
  const { id = '' } = useParams<{ id: string }>();
  const t = useT();
  const { lang } = useLang();
  const detail = useAsync((signal) => api.get<TipDetail>(tipUrl(id), undefined, signal), [id]);
  if (detail.error && !detail.loading) return <ErrorState error={detail.error} onRetry={detail.reload} />;
  if (!detail.data) return <PageLoading />;
  const tip = detail.data;
  const due = nextDeadline(tip);
  return (
    <div className="zb-page">
      <PageHeader title={`${tip.code} · ${pick(lang, TIP_CATEGORY_LABELS[tip.category])}`} subTitle={`${pick(lang, TIP_CHANNEL_LABELS[tip.channel])} · ${formatDateTime(tip.receivedAt)}`} tags={<TipStatusTag tip={tip} />} backTo="/tips" />
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        {tip.suspectedDuplicateOf && !tip.duplicateOf && (
          <Alert type="warning" showIcon title={t('tip.suspected')} description={<Link to={`/tips/${tip.suspectedDuplicateOf}`}>{t('tip.openEarlier')}</Link>} data-testid="tip-suspected" />
        )}
        {tip.duplicateOf && <Alert type="info" showIcon title={t('tip.linked')} description={<Link to={`/tips/${tip.duplicateOf}`}>{t('tip.openEarlier')}</Link>} />}
        <Card size="small" className="zb-card">
          <FactList
            labelWidth={130}
            items={[
              { key: 'about', label: t('tip.enterprise'), children: tip.enterpriseId ? <Link to={`/enterprises/${tip.enterpriseId}`}>{tip.enterpriseName}</Link> : (tip.enterpriseName ?? '—') },
              { key: 'place', label: t('tip.place'), children: tip.place ?? '—' },
              { key: 'dept', label: t('tip.department'), children: tip.departmentName ?? '—' },
              { key: 'desc', label: t('tip.description'), children: <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }} data-testid="tip-description">{tip.description}</Typography.Paragraph> },
              { key: 'reporter', label: t('tip.reporter'), children: tip.hasIdentity ? <Space><LockOutlined />{t('tip.namedSealed')}</Space> : t('tip.anonymous') },
              { key: 'due', label: t('tip.col.due'), children: due ? <span data-testid="tip-due"><Countdown date={due} />{tip.extension !== 'none' ? ` · ${t(`tip.ext.${tip.extension}`)}` : ''}</span> : '—' },
              ...(tip.declineReason ? [{ key: 'decline', label: t('tip.declineReason'), children: tip.declineReason }] : []),
              ...(tip.verification ? [{ key: 'verification', label: t('tip.verification'), children: `${tip.substantiated ? t('tip.substantiatedYes') : t('tip.substantiatedNo')} · ${tip.verification}` }] : []),
              ...(tip.feedback ? [{ key: 'feedback', label: t('tip.feedback'), children: <span data-testid="tip-feedback">{tip.feedback}</span> }] : []),
            ]}
          />
          {tip.photos.length > 0 && (
            <Image.PreviewGroup>
              <Space wrap style={{ marginTop: 12 }}>
                {tip.photos.map((p) => (
                  <Image key={p.id} width={96} height={96} style={{ objectFit: 'cover' }} src={tipUrl(tip.id, `/photos/${encodeURIComponent(p.id)}`)} alt={t('tip.photo')} data-testid="tip-photo" />
                ))}
              </Space>
            </Image.PreviewGroup>
          )}
        </Card>
        {tip.mayReveal && <RevealCard tip={tip} onChanged={detail.reload} />}
        <StepsCard tip={tip} onChanged={detail.reload} />
        {tip.actions.includes('inspect') && <InspectCard tip={tip} onChanged={detail.reload} />}
        {tip.actions.includes('findings') && <FindingsForm postUrl={tipUrl(tip.id, '/findings')} version={tip.version} items={[]} deadlines onDone={detail.reload} />}
        <Card size="small" className="zb-card" title={t('tip.findings', { n: tip.findings.length })} data-testid="tip-findings">
          {tip.findings.length ? <FindingList findings={tip.findings} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tip.noFindings')} />}
        </Card>
        {(tip.reward || tip.rewardActions.length > 0) && <RewardCard tip={tip} onChanged={detail.reload} />}
        {tip.duplicateCandidates.length > 0 && (
          <Card size="small" className="zb-card" title={t('tip.candidates')}>
            <Flex vertical gap={6}>
              {tip.duplicateCandidates.map((c) => (
                <span key={c.id}>
                  <Link to={`/tips/${c.id}`}>{c.code}</Link> · {formatDate(c.receivedAt)} · {Math.round(c.similarity * 100)}% · <Typography.Text type="secondary">{c.description.slice(0, 60)}</Typography.Text>
                </span>
              ))}
            </Flex>
          </Card>
        )}
        <Card size="small" className="zb-card" title={t('tip.events')}>
          <RecordTimeline events={tip.events.map((e) => ({ ...e, data: null }))} label={(a) => (a in TIP_ACTION_LABELS ? pick(lang, TIP_ACTION_LABELS[a as keyof typeof TIP_ACTION_LABELS]) : a)} />
        </Card>
      </Space>
    </div>
  );
}

/** The steps open to the caller now (the server's transition table says which), each with its note. */
function StepsCard({ tip, onChanged }: { tip: TipDetail; onChanged: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const phone = useIsPhone();
  const steps = tip.actions.filter((a) => a !== 'findings' && a !== 'inspect');
  const [action, setAction] = useState<TipAction | null>(null);
  const [note, setNote] = useState('');
  const [substantiated, setSubstantiated] = useState<boolean | null>(null);
  const [chosenEarlier, setDuplicateOf] = useState<string | undefined>();
  const duplicateOf = chosenEarlier ?? tip.suspectedDuplicateOf ?? tip.duplicateCandidates[0]?.id;
  const { busy, error, setError, run } = useAction();
  if (!steps.length) return null;
  const current = action && (steps as TipAction[]).includes(action) ? action : steps[0];
  const needsNote = ['decline', 'extend', 'refuse_extension', 'verify', 'feedback'].includes(current);
  const send = async () => {
    const body: Record<string, unknown> = { version: tip.version, note: note.trim() || undefined };
    if (current === 'verify') body.substantiated = substantiated;
    if (current === 'link_duplicate') body.duplicateOf = duplicateOf;
    if (await run(() => api.post(tipUrl(tip.id, `/actions/${current}`), body), t('tip.stepDone'), (err) => err instanceof ApiError && err.code === 'VERSION_CONFLICT' && onChanged())) {
      setNote('');
      setAction(null);
      onChanged();
    }
  };
  const ready = (!needsNote || note.trim().length >= 2) && (current !== 'verify' || substantiated !== null) && (current !== 'link_duplicate' || !!duplicateOf);
  return (
    <Card size="small" className="zb-card" title={t('tip.steps')} data-testid="tip-steps">
      <Flex vertical gap={10}>
        <FormError error={error} />
        <Radio.Group
          value={current}
          onChange={(e) => {
            setAction(e.target.value as TipAction);
            setError(null);
          }}
          optionType="button"
          options={steps.map((a) => ({ value: a, label: pick(lang, TIP_ACTION_LABELS[a]) }))}
          data-testid="tip-step-choice"
        />
        {current === 'verify' && (
          <Radio.Group value={substantiated} onChange={(e) => setSubstantiated(e.target.value as boolean)} data-testid="tip-substantiated" options={[{ value: true, label: t('tip.substantiatedYes') }, { value: false, label: t('tip.substantiatedNo') }]} />
        )}
        {current === 'link_duplicate' && (
          <Select
            value={duplicateOf}
            onChange={setDuplicateOf}
            placeholder={t('tip.chooseEarlier')}
            options={tip.duplicateCandidates.map((c) => ({ value: c.id, label: `${c.code} · ${formatDate(c.receivedAt)}` }))}
            notFoundContent={t('tip.noCandidates')}
          />
        )}
        {current !== 'link_duplicate' && (
          <Input.TextArea rows={3} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t(`tip.notePh.${current}` as 'tip.notePh.accept')} data-testid="tip-note" />
        )}
        {current === 'feedback' && <Typography.Text type="secondary">{t('tip.feedbackHint')}</Typography.Text>}
        <Button type="primary" size={phone ? 'large' : 'middle'} block={phone} loading={busy} disabled={!ready} onClick={() => void send()} data-testid="tip-step-submit">
          {pick(lang, TIP_ACTION_LABELS[current])}
        </Button>
      </Flex>
    </Card>
  );
}

type Revealed = z.infer<typeof RevealedIdentity>;

/** 查看举报人信息: the custodian only, with a reason; the reveal is audited and the handlers are told. */
function RevealCard({ tip, onChanged }: { tip: TipDetail; onChanged: () => void }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [shown, setShown] = useState<Revealed | null>(null);
  const { busy, error, run } = useAction();
  const reveal = async () => {
    await run(async () => {
      setShown(await api.post<Revealed>(tipUrl(tip.id, '/identity'), { reason: reason.trim() }));
      setOpen(false);
      // The reveal is on the tip's timeline now.
      onChanged();
    });
  };
  return (
    <Card size="small" className="zb-card" title={t('tip.identityTitle')} data-testid="tip-reveal-card">
      {shown ? (
        <FactList
          items={[
            { key: 'name', label: t('tip.reporterName'), children: shown.name ?? '—' },
            { key: 'phone', label: t('tip.reporterPhone'), children: shown.phone ?? '—' },
            ...(shown.claim ? [{ key: 'claim', label: t('tip.claim'), children: [shown.claim.name, shown.claim.phone, shown.claim.idNumber, shown.claim.bankName, shown.claim.bankAccount].filter(Boolean).join(' · ') }] : []),
          ]}
        />
      ) : (
        <Flex vertical gap={8}>
          <Typography.Text type="secondary">{tip.hasIdentity || tip.claimed ? t('tip.identityHint') : t('tip.identityNone')}</Typography.Text>
          <Button icon={<EyeOutlined />} disabled={!tip.hasIdentity && !tip.claimed} onClick={() => setOpen(true)} data-testid="tip-reveal">
            {t('tip.reveal')}
          </Button>
        </Flex>
      )}
      <Modal open={open} title={t('tip.reveal')} onCancel={() => setOpen(false)} onOk={() => void reveal()} okButtonProps={{ disabled: reason.trim().length < 5, loading: busy }}>
        <FormError error={error} />
        <Typography.Paragraph>{t('tip.revealWarning')}</Typography.Paragraph>
        <Input.TextArea rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('tip.revealReason')} data-testid="tip-reveal-reason" />
      </Modal>
    </Card>
  );
}

/** 举报奖励: proposed by the rule set of the receipt date (its steps shown), approved by another officer, paid. */
function RewardCard({ tip, onChanged }: { tip: TipDetail; onChanged: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const r = tip.reward;
  const concealed = tip.category === 'concealed_accident';
  const [fine, setFine] = useState<number | null>(null);
  const [deaths, setDeaths] = useState<number | null>(1);
  const [grade, setGrade] = useState<'general' | 'larger' | 'major' | 'especially_major'>('general');
  const [employee, setEmployee] = useState(false);
  const [paidOn, setPaidOn] = useState(dayjs());
  const [ref, setRef] = useState('');
  const { busy, error, run } = useAction();
  const act = async (action: 'propose' | 'approve' | 'pay', body: object) => {
    if (await run(() => api.post(tipUrl(tip.id, `/reward/actions/${action}`), { version: tip.version, ...body }), t('tip.stepDone'), (err) => err instanceof ApiError && err.code === 'VERSION_CONFLICT' && onChanged())) onChanged();
  };
  return (
    <Card size="small" className="zb-card" title={t('tip.reward')} extra={r && <Tag color={r.status === 'paid' ? 'green' : 'blue'}>{pick(lang, REWARD_STATUS_LABELS[r.status])}</Tag>} data-testid="tip-reward">
      <Flex vertical gap={10}>
        <FormError error={error} />
        {r && (
          <>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="tip-reward-amount">{`¥${r.amountYuan.toLocaleString()}`}</Typography.Title>
            <ol style={{ margin: 0, paddingInlineStart: 20 }}>
              {r.steps.map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ol>
            <Typography.Text type="secondary">{r.ruleEffectiveFrom === '1949-01-01' ? t('tip.ruleDefault') : t('tip.ruleFrom', { date: formatDate(r.ruleEffectiveFrom) })}</Typography.Text>
            {r.paidOn && <Typography.Text>{t('tip.paid', { date: formatDate(r.paidOn), ref: r.paymentRef ?? '' })}</Typography.Text>}
            {tip.claimed && r.status !== 'paid' && <Typography.Text type="success">{t('tip.claimedNote')}</Typography.Text>}
          </>
        )}
        {tip.rewardActions.includes('propose') && (
          <Space wrap>
            {concealed ? (
              <>
                <InputNumber min={1} max={1000} value={deaths} onChange={setDeaths} addonAfter={t('tip.deaths')} />
                <Select value={grade} onChange={setGrade} style={{ width: 140 }} options={(['general', 'larger', 'major', 'especially_major'] as const).map((g) => ({ value: g, label: t(`tip.grade.${g}`) }))} />
              </>
            ) : (
              <InputNumber min={0} max={100_000_000} value={fine} onChange={setFine} prefix="¥" placeholder={t('tip.fine')} style={{ width: 200 }} data-testid="tip-fine" />
            )}
            <Radio.Group value={employee} onChange={(e) => setEmployee(e.target.value as boolean)} options={[{ value: false, label: t('tip.notEmployee') }, { value: true, label: t('tip.employee') }]} />
            <Button type="primary" loading={busy} disabled={concealed ? !deaths : fine === null} onClick={() => void act('propose', concealed ? { kind: 'concealed_accident', deaths, grade, reporterIsEmployee: employee } : { kind: 'fine_share', fineYuan: fine, reporterIsEmployee: employee })} data-testid="tip-reward-propose">
              {t('tip.propose')}
            </Button>
          </Space>
        )}
        {tip.rewardActions.includes('approve') && (
          <Button type="primary" loading={busy} onClick={() => void act('approve', {})} data-testid="tip-reward-approve">
            {t('tip.approve')}
          </Button>
        )}
        {tip.rewardActions.includes('pay') && (
          <Space wrap>
            <DatePicker value={paidOn} allowClear={false} onChange={(d) => d && setPaidOn(d)} disabledDate={(d) => d.isAfter(dayjs().endOf('day'))} />
            <Input value={ref} onChange={(e) => setRef(e.target.value)} placeholder={t('tip.paymentRef')} maxLength={60} style={{ width: 200 }} />
            <Button type="primary" loading={busy} disabled={!ref.trim()} onClick={() => void act('pay', { paidOn: paidOn.format('YYYY-MM-DD'), paymentRef: ref.trim() })} data-testid="tip-reward-pay">
              {t('tip.pay')}
            </Button>
          </Space>
        )}
      </Flex>
    </Card>
  );
}

/** 举报核查: an enforcement inspection of the tip's enterprise, arranged from here (two inspectors or more, unannounced by default). */
function InspectCard({ tip, onChanged }: { tip: TipDetail; onChanged: () => void }) {
  const t = useT();
  const inspectors = useAsync((signal) => api.get<{ items: { id: string; name: string }[] }>(tipUrl(tip.id, '/inspectors'), undefined, signal), [tip.id]);
  const [date, setDate] = useState(dayjs().add(1, 'day'));
  const [ids, setIds] = useState<string[]>([]);
  const [unannounced, setUnannounced] = useState(true);
  const [made, setMade] = useState<{ inspectionId: string; inspectionCode: string } | null>(null);
  const { busy, error, run } = useAction();
  const send = async () => {
    await run(async () => {
      setMade(await api.post<{ inspectionId: string; inspectionCode: string }>(tipUrl(tip.id, '/inspection'), { version: tip.version, date: date.format('YYYY-MM-DD'), inspectorIds: ids, unannounced }));
      onChanged();
    }, t('tip.inspect.done'));
  };
  const earlier = tip.events.filter((e) => e.action === 'inspect' && e.data);
  return (
    <Card size="small" className="zb-card" title={t('tip.inspect.title')} data-testid="tip-inspect">
      <Flex vertical gap={10}>
        <FormError error={error} />
        {[...earlier.map((e) => e.data as { inspectionId: string; inspectionCode: string }), ...(made && !earlier.some((e) => (e.data as { inspectionId?: string }).inspectionId === made.inspectionId) ? [made] : [])].map((m) => (
          <Link key={m.inspectionId} to={`/enforcement/inspections/${m.inspectionId}`}>{t('tip.inspect.open', { code: m.inspectionCode })}</Link>
        ))}
        <Space wrap>
          <DatePicker value={date} allowClear={false} onChange={(d) => d && setDate(d)} disabledDate={(d) => d.isBefore(dayjs().startOf('day'))} />
          <Select mode="multiple" style={{ minWidth: 280 }} value={ids} onChange={setIds} loading={inspectors.loading} placeholder={t('tip.inspect.inspectors')} options={(inspectors.data?.items ?? []).map((i) => ({ value: i.id, label: i.name }))} data-testid="tip-inspect-inspectors" />
          <Radio.Group value={unannounced} onChange={(e) => setUnannounced(e.target.value as boolean)} options={[{ value: true, label: t('tip.inspect.unannounced') }, { value: false, label: t('tip.inspect.announced') }]} />
          <Button type="primary" loading={busy} disabled={ids.length < 2} onClick={() => void send()} data-testid="tip-inspect-submit">
            {t('tip.inspect.submit')}
          </Button>
        </Space>
      </Flex>
    </Card>
  );
}
