import { Alert, App, Button, Card, Form, Input, Tag, Typography } from 'antd';
import type { InputRef } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import { TIP_CATEGORY_LABELS, TIP_STATUS_LABELS } from '../../../shared/contracts/tips';
import type { PublicTipStatus, TipStatus } from '../../../shared/contracts/tips';
import { ApiError, request } from '../../api';
import { FactList } from '../../components/FactList';
import { FormError, useAction, useFormSubmit } from '../../components/FormParts';
import { pick, useLang, useT } from '../../i18n';
import type { Lang } from '../../i18n';
import { optional, PHONE } from './public-shared';

/** 查询进度 of the public door: a tip's status and the office's feedback by its receipt and secret, and a reward's claim. */

type Status = z.infer<typeof PublicTipStatus>;

// Receipts and secrets are sent in the path and a header: letters, digits, spaces and dashes only.
const CODE = /^[A-Za-z0-9 -]{1,40}$/;
const STATUS_COLORS: Record<TipStatus, string> = { received: 'gold', accepted: 'processing', declined: 'default', verified: 'cyan', closed: 'success' };
const yuan = (n: number, lang: Lang) => n.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits: 2 });

/** A tip's status, or a reward claim, with the secret in `X-Tip-Secret`, sending no session (the door reads none). */
const withSecret = <T,>(receipt: string, secret: string, claim?: object): Promise<T> =>
  request<T>(claim ? 'POST' : 'GET', `/api/public/tips/${encodeURIComponent(receipt)}${claim ? '/claim' : ''}`, { body: claim, headers: { 'X-Tip-Secret': secret }, credentials: 'omit' });

interface LookupValues {
  receipt: string;
  secret: string;
}

/** 查询进度: the receipt and the secret open the status and the office's feedback, and a reward to claim. */
export function Lookup({ seed }: { seed: { receipt: string } }) {
  const t = useT();
  const [form] = Form.useForm<LookupValues>();
  const secretRef = useRef<InputRef>(null);
  const [found, setFound] = useState<{ status: Status; secret: string } | null>(null);
  const [answers, setAnswers] = useState(0);
  const resultRef = useRef<HTMLDivElement>(null);
  const action = useAction();
  const { setError } = action;

  // On a phone the answer lands below the fold: bring it up.
  useEffect(() => {
    if (answers) resultRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }, [answers]);

  useEffect(() => {
    form.setFieldsValue({ receipt: seed.receipt, secret: '' });
    setFound(null);
    setError(null);
    if (seed.receipt) secretRef.current?.focus();
  }, [seed, form, setError]);

  const onFinish = (v: LookupValues) =>
    void action.run(async () => {
      setFound(null);
      const secret = v.secret.trim();
      try {
        setFound({ status: await withSecret<Status>(v.receipt.trim(), secret), secret });
        setAnswers((n) => n + 1);
      } catch (err) {
        // Unknown, wrong or held: the server answers all three alike, and so does the page.
        throw err instanceof ApiError && err.status === 404 ? new Error(t('tip.pub.lookupFailed')) : err;
      }
    });

  const codeRules = (required: string) => [
    { required: true, whitespace: true, message: required },
    { pattern: CODE, message: t('tip.pub.codeInvalid') },
  ];

  return (
    <>
      <Card className="zb-card">
        <Typography.Paragraph>{t('tip.pub.lookupIntro')}</Typography.Paragraph>
        <FormError error={action.error} />
        <Form<LookupValues> form={form} layout="vertical" size="large" onFinish={onFinish} className="zb-tip-pub-form">
          <Form.Item name="receipt" label={t('tip.pub.receipt')} rules={codeRules(t('tip.pub.receiptRequired'))} normalize={(v: string) => v.toUpperCase()}>
            <Input placeholder={t('tip.pub.receiptPlaceholder')} autoComplete="off" autoCapitalize="characters" spellCheck={false} className="zb-mono" data-testid="tip-pub-lookup-receipt" />
          </Form.Item>
          <Form.Item name="secret" label={t('tip.pub.secret')} rules={codeRules(t('tip.pub.secretRequired'))}>
            <Input.Password ref={secretRef} autoComplete="off" autoCapitalize="characters" spellCheck={false} className="zb-mono" data-testid="tip-pub-lookup-secret" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={action.busy} data-testid="tip-pub-lookup-submit">
            {t('tip.pub.lookupSubmit')}
          </Button>
        </Form>
      </Card>
      <div ref={resultRef} className="zb-tip-pub-anchor">
        {found && <TipProgress status={found.status} secret={found.secret} onClaimed={(status) => setFound({ status, secret: found.secret })} />}
      </div>
    </>
  );
}

function TipProgress({ status: s, secret, onClaimed }: { status: Status; secret: string; onClaimed: (s: Status) => void }) {
  const t = useT();
  const { lang } = useLang();
  const statusLabel = lang === 'zh' ? s.statusLabel : pick(lang, TIP_STATUS_LABELS[s.status]);
  const reward = s.reward;
  return (
    <Card className="zb-card zb-tip-pub-progress" title={t('tip.pub.resultTitle')} data-testid="tip-pub-progress">
      <FactList
        labelWidth={110}
        items={[
          { key: 'receipt', label: t('tip.pub.receipt'), children: <span className="zb-mono">{s.receipt}</span> },
          { key: 'category', label: t('tip.pub.category'), children: pick(lang, TIP_CATEGORY_LABELS[s.category]) },
          { key: 'received', label: t('tip.pub.receivedOn'), children: s.receivedOn },
          {
            key: 'status',
            label: t('tip.pub.status'),
            children: (
              <Tag color={STATUS_COLORS[s.status]} data-testid="tip-pub-status">
                {statusLabel}
              </Tag>
            ),
          },
          {
            key: 'feedback',
            label: t('tip.pub.feedback'),
            children: s.feedback ? (
              <span className="zb-tip-pub-feedback" data-testid="tip-pub-feedback">
                {s.feedback}
              </span>
            ) : (
              <Typography.Text type="secondary" data-testid="tip-pub-feedback">
                {t('tip.pub.noFeedback')}
              </Typography.Text>
            ),
          },
          ...(s.feedbackOn ? [{ key: 'feedbackOn', label: t('tip.pub.feedbackOn'), children: s.feedbackOn }] : []),
        ]}
      />
      {reward && (
        <div className="zb-tip-pub-reward" data-testid="tip-pub-reward">
          {reward.status === 'ready' ? (
            <>
              <Alert type="success" showIcon title={t('tip.pub.rewardReady', { amount: yuan(reward.amountYuan, lang) })} description={lang === 'zh' ? reward.howToClaim : reward.howToClaimEn} />
              <ClaimForm receipt={s.receipt} secret={secret} onClaimed={onClaimed} />
            </>
          ) : (
            <Alert
              type={reward.status === 'paid' ? 'success' : 'info'}
              showIcon
              title={t(reward.status === 'paid' ? 'tip.pub.rewardPaid' : 'tip.pub.rewardClaimed')}
              description={t('tip.pub.rewardAmount', { amount: yuan(reward.amountYuan, lang) })}
            />
          )}
        </div>
      )}
    </Card>
  );
}

interface ClaimValues {
  name: string;
  phone: string;
  idNumber?: string;
  bankName?: string;
  bankAccount?: string;
}

function ClaimForm({ receipt, secret, onClaimed }: { receipt: string; secret: string; onClaimed: (s: Status) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<ClaimValues>();
  const submit = useFormSubmit<ClaimValues>(form, async (v) => {
    const claim = { name: v.name.trim(), phone: v.phone.trim(), idNumber: optional(v.idNumber), bankName: optional(v.bankName), bankAccount: optional(v.bankAccount) };
    onClaimed(await withSecret<Status>(receipt, secret, claim));
    void message.success(t('tip.pub.claimed'));
  });
  return (
    <div className="zb-tip-pub-claim">
      <Typography.Title level={5}>{t('tip.pub.claimTitle')}</Typography.Title>
      <Form<ClaimValues> form={form} layout="vertical" size="large" onFinish={submit.onFinish} className="zb-tip-pub-form">
        <Form.Item name="name" label={t('tip.pub.name')} rules={[{ required: true, whitespace: true, message: t('tip.pub.nameRequired') }]}>
          <Input maxLength={50} autoComplete="name" data-testid="tip-pub-claim-name" />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('tip.pub.phone')}
          rules={[
            { required: true, whitespace: true, message: t('tip.pub.phoneRequired') },
            { pattern: PHONE, message: t('tip.pub.phoneInvalid') },
          ]}
        >
          <Input type="tel" inputMode="tel" maxLength={30} autoComplete="tel" data-testid="tip-pub-claim-phone" />
        </Form.Item>
        <Form.Item name="idNumber" label={t('tip.pub.idNumber')} normalize={(v: string) => v.toUpperCase()} rules={[{ pattern: /^\s*\d{17}[\dX]\s*$/, message: t('tip.pub.idNumberInvalid') }]}>
          <Input maxLength={18} autoComplete="off" className="zb-mono" data-testid="tip-pub-claim-id" />
        </Form.Item>
        <Form.Item name="bankName" label={t('tip.pub.bankName')}>
          <Input maxLength={60} data-testid="tip-pub-claim-bank" />
        </Form.Item>
        <Form.Item name="bankAccount" label={t('tip.pub.bankAccount')} rules={[{ pattern: /^\s*[0-9 ]{8,34}\s*$/, message: t('tip.pub.bankAccountInvalid') }]}>
          <Input inputMode="numeric" maxLength={40} autoComplete="off" className="zb-mono" data-testid="tip-pub-claim-account" />
        </Form.Item>
        <FormError error={submit.formError} />
        <Button type="primary" htmlType="submit" block size="large" loading={submit.busy} data-testid="tip-pub-claim-submit">
          {t('tip.pub.claimSubmit')}
        </Button>
      </Form>
    </div>
  );
}
