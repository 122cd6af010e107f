import { CameraOutlined, FileSearchOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Flex, Form, Input, Radio, Result, Segmented, Select, Spin, Tag, Typography, Upload } from 'antd';
import type { InputRef, UploadFile, UploadProps } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { z } from 'zod';
import type { Problem } from '../../../shared/contracts/common';
import { TIP_CATEGORIES, TIP_CATEGORY_LABELS, TIP_STATUS_LABELS } from '../../../shared/contracts/tips';
import type { PublicEnterprise, PublicTipReceipt, PublicTipStatus, TipStatus } from '../../../shared/contracts/tips';
import { api, ApiError } from '../../api';
import { FactList } from '../../components/FactList';
import { FormError, useAction, useFormSubmit } from '../../components/FormParts';
import { PublicHeader } from '../../components/PublicHeader';
import { problemText } from '../../errors';
import { blankToNull } from '../../format';
import { useAsync } from '../../hooks';
import type { AsyncState } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import type { Lang } from '../../i18n';

type Receipt = z.infer<typeof PublicTipReceipt>;
type Status = z.infer<typeof PublicTipStatus>;
type Enterprise = z.infer<typeof PublicEnterprise>;
interface District {
  code: string;
  name: string;
}
interface Uploaded {
  id: string;
  mime: string;
  size: number;
}
type View = 'report' | 'lookup';

const MAX_PHOTOS = 5;
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const PHONE = /^[0-9+\-() ]{5,30}$/;
// Receipts and secrets are sent in the path and a header: letters, digits, spaces and dashes only.
const CODE = /^[A-Za-z0-9 -]{1,40}$/;
const STATUS_COLORS: Record<TipStatus, string> = { received: 'gold', accepted: 'processing', declined: 'default', verified: 'cyan', closed: 'success' };

/** An optional text as the API takes it: trimmed, or left out when blank. */
const optional = (s: string | undefined) => blankToNull(s) ?? undefined;

const yuan = (n: number, lang: Lang) => n.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits: 2 });

/**
 * A tip's status, or a reward claim, with the secret in `X-Tip-Secret`: `api` sends no extra
 * headers, so this asks fetch itself and turns a refusal into the same ApiError.
 */
async function withSecret<T>(receipt: string, secret: string, claim?: object): Promise<T> {
  const headers: Record<string, string> = { 'X-Requested-With': 'zhiben', 'X-Tip-Secret': secret, Accept: 'application/json' };
  if (claim) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`/api/public/tips/${encodeURIComponent(receipt)}${claim ? '/claim' : ''}`, {
      method: claim ? 'POST' : 'GET',
      headers,
      body: claim ? JSON.stringify(claim) : undefined,
      // The door reads no session: a signed-in officer's cookie has no business here.
      credentials: 'omit',
    });
  } catch {
    throw new ApiError(0, null, 'network error');
  }
  const data: unknown = await res.json().catch(() => null);
  if (res.ok) return data as T;
  const problem = typeof data === 'object' && data !== null && 'detail' in data ? (data as Problem) : null;
  throw new ApiError(res.status, problem, problem?.detail ?? `HTTP ${res.status}`);
}

/** 安全生产举报 without signing in, phone first (a poster's QR code opens it): send a tip, or look one up. */
export default function PublicTipPage() {
  const t = useT();
  const [params] = useSearchParams();
  const linked = params.get('receipt') ?? '';
  const [view, setView] = useState<View>(linked ? 'lookup' : 'report');
  const [seed, setSeed] = useState({ receipt: linked });
  const [sent, setSent] = useState<Receipt | null>(null);
  const [round, setRound] = useState(0);
  const districts = useAsync((signal) => api.get<{ items: District[] }>('/api/public/districts', undefined, signal), []);

  const onSent = (r: Receipt) => {
    setSent(r);
    window.scrollTo({ top: 0 });
  };

  return (
    <div className="zb-public">
      <PublicHeader />
      <main className="zb-public-main zb-tip-pub">
        <Typography.Title level={3} className="zb-tip-pub-title">
          {t('tip.pub.title')}
        </Typography.Title>
        <Segmented<View>
          block
          size="large"
          className="zb-tip-pub-switch"
          value={view}
          onChange={setView}
          options={[
            { value: 'report', icon: <SafetyCertificateOutlined />, label: <span data-testid="tip-pub-tab-report">{t('tip.pub.tabReport')}</span> },
            { value: 'lookup', icon: <FileSearchOutlined />, label: <span data-testid="tip-pub-tab-lookup">{t('tip.pub.tabLookup')}</span> },
          ]}
        />
        {/* Both stay mounted: a half-written report survives a look at the other tab. */}
        <div hidden={view !== 'report'}>
          {sent ? (
            <Sent
              receipt={sent}
              onLookup={() => {
                setSeed({ receipt: sent.receipt });
                setView('lookup');
              }}
              onAnother={() => {
                setSent(null);
                setRound((n) => n + 1);
              }}
            />
          ) : (
            <ReportForm key={round} districts={districts} onSent={onSent} />
          )}
        </div>
        <div hidden={view !== 'lookup'}>
          <Lookup seed={seed} />
        </div>
      </main>
    </div>
  );
}

interface ReportValues {
  category: (typeof TIP_CATEGORIES)[number];
  enterpriseId?: string;
  manualEnterprise?: boolean;
  enterpriseName?: string;
  districtCode?: string;
  place?: string;
  description: string;
  attachmentIds?: string[];
  identity: 'anonymous' | 'realName';
  name?: string;
  phone?: string;
  website?: string;
}

function bodyOf(v: ReportValues, enterprise: Enterprise | undefined) {
  const anonymous = v.identity === 'anonymous';
  return {
    category: v.category,
    description: v.description.trim(),
    // A chosen enterprise decides the district at the server.
    districtCode: enterprise ? undefined : v.districtCode,
    enterpriseId: enterprise?.id,
    enterpriseName: v.manualEnterprise ? optional(v.enterpriseName) : undefined,
    place: optional(v.place),
    anonymous,
    name: anonymous ? undefined : optional(v.name),
    phone: anonymous ? undefined : optional(v.phone),
    attachmentIds: v.attachmentIds?.length ? v.attachmentIds : undefined,
    website: v.website ?? '',
  };
}

function ReportForm({ districts, onSent }: { districts: AsyncState<{ items: District[] }>; onSent: (r: Receipt) => void }) {
  const t = useT();
  const { lang } = useLang();
  const [form] = Form.useForm<ReportValues>();
  const [enterprise, setEnterprise] = useState<Enterprise>();
  const [uploading, setUploading] = useState(false);
  const manual = Form.useWatch('manualEnterprise', form) ?? false;
  const identity = Form.useWatch('identity', form) ?? 'anonymous';
  const submit = useFormSubmit<ReportValues>(form, async (v) => onSent(await api.post<Receipt>('/api/public/tips', bodyOf(v, enterprise))), {
    pathAlias: { anonymous: 'identity' },
  });
  const districtOptions = (districts.data?.items ?? []).map((d) => ({ value: d.code, label: d.name }));

  const pickEnterprise = (e: Enterprise | undefined) => {
    setEnterprise(e);
    if (!e) return;
    const code = districts.data?.items.find((d) => d.name === e.districtName)?.code;
    form.setFields([{ name: 'districtCode', value: code, errors: [] }]);
  };

  return (
    <Card className="zb-card">
      <div className="zb-tip-pub-intro">
        <Typography.Paragraph>{t('tip.pub.intro')}</Typography.Paragraph>
        <Typography.Paragraph type="secondary">{t('tip.pub.introPrivacy')}</Typography.Paragraph>
        <Alert type="warning" showIcon title={t('tip.pub.introEmergency')} />
      </div>
      <Form<ReportValues>
        form={form}
        layout="vertical"
        size="large"
        initialValues={{ identity: 'anonymous', manualEnterprise: false }}
        onFinish={submit.onFinish}
        scrollToFirstError={{ block: 'center' }}
        className="zb-tip-pub-form"
      >
        <Form.Item name="category" label={t('tip.pub.category')} rules={[{ required: true, message: t('tip.pub.categoryRequired') }]}>
          <Radio.Group className="zb-tip-pub-choices" data-testid="tip-pub-category">
            {TIP_CATEGORIES.map((c) => (
              <Radio key={c} value={c} className="zb-tip-pub-choice">
                <span data-testid={`tip-pub-category-${c}`}>{pick(lang, TIP_CATEGORY_LABELS[c])}</span>
              </Radio>
            ))}
          </Radio.Group>
        </Form.Item>

        {manual ? (
          <Form.Item name="enterpriseName" label={t('tip.pub.enterpriseName')}>
            <Input placeholder={t('tip.pub.enterpriseNamePlaceholder')} maxLength={100} data-testid="tip-pub-enterprise-name" />
          </Form.Item>
        ) : (
          <Form.Item name="enterpriseId" label={t('tip.pub.enterprise')} extra={t('tip.pub.enterpriseExtra')}>
            <EnterpriseSearch picked={enterprise} onPick={pickEnterprise} />
          </Form.Item>
        )}
        <Form.Item name="manualEnterprise" valuePropName="checked" className="zb-tip-pub-manual">
          <Checkbox
            onChange={(e) => {
              if (!e.target.checked) return;
              form.setFieldValue('enterpriseId', undefined);
              setEnterprise(undefined);
            }}
            data-testid="tip-pub-enterprise-manual"
          >
            {t('tip.pub.enterpriseManual')}
          </Checkbox>
        </Form.Item>

        <Form.Item
          name="districtCode"
          label={t('tip.pub.district')}
          extra={enterprise ? t('tip.pub.districtByEnterprise') : undefined}
          rules={enterprise ? [] : [{ required: true, message: t('tip.pub.districtRequired') }]}
        >
          <Select
            options={districtOptions}
            loading={districts.loading}
            disabled={!!enterprise}
            placeholder={enterprise ? enterprise.districtName : t('tip.pub.districtPlaceholder')}
            showSearch={{ optionFilterProp: 'label' }}
            notFoundContent={districts.error ? problemText(districts.error, lang, t) : undefined}
            onOpenChange={(open) => open && !!districts.error && districts.reload()}
            data-testid="tip-pub-district"
          />
        </Form.Item>

        <Form.Item name="place" label={t('tip.pub.place')}>
          <Input placeholder={t('tip.pub.placePlaceholder')} maxLength={200} data-testid="tip-pub-place" />
        </Form.Item>

        <Form.Item
          name="description"
          label={t('tip.pub.description')}
          required
          rules={[{ validator: (_, v: string | undefined) => ((v ?? '').trim().length >= 10 ? Promise.resolve() : Promise.reject(new Error(t('tip.pub.descriptionRequired')))) }]}
        >
          <Input.TextArea
            placeholder={t('tip.pub.descriptionPlaceholder')}
            showCount
            maxLength={2000}
            autoSize={{ minRows: 5, maxRows: 14 }}
            data-testid="tip-pub-description"
          />
        </Form.Item>

        <Form.Item name="attachmentIds" label={t('tip.pub.photos')} extra={t('tip.pub.photosHint')}>
          <PhotoUpload onUploadingChange={setUploading} />
        </Form.Item>

        <Form.Item name="identity" label={t('tip.pub.identity')} extra={identity === 'anonymous' ? t('tip.pub.anonymousNote') : undefined}>
          <Radio.Group optionType="button" buttonStyle="solid" block>
            <Radio.Button value="anonymous">
              <span data-testid="tip-pub-anonymous">{t('tip.pub.anonymous')}</span>
            </Radio.Button>
            <Radio.Button value="realName">
              <span data-testid="tip-pub-realname">{t('tip.pub.realName')}</span>
            </Radio.Button>
          </Radio.Group>
        </Form.Item>
        {identity === 'realName' && (
          <div className="zb-tip-pub-identity">
            <Alert type="info" showIcon title={t('tip.pub.realNameNote')} className="zb-tip-pub-note" />
            <Form.Item
              name="name"
              label={t('tip.pub.name')}
              dependencies={['phone']}
              rules={[{ validator: (_, v: string | undefined) => (optional(v) || optional(form.getFieldValue('phone') as string | undefined) ? Promise.resolve() : Promise.reject(new Error(t('tip.pub.nameOrPhone')))) }]}
            >
              <Input maxLength={50} autoComplete="name" data-testid="tip-pub-name" />
            </Form.Item>
            <Form.Item name="phone" label={t('tip.pub.phone')} rules={[{ pattern: PHONE, message: t('tip.pub.phoneInvalid') }]}>
              <Input type="tel" inputMode="tel" maxLength={30} autoComplete="tel" data-testid="tip-pub-phone" />
            </Form.Item>
          </div>
        )}

        {/* Bots fill every field; people never see this one (the server drops a tip that fills it). */}
        <div className="zb-tip-pub-hp" aria-hidden="true">
          <Form.Item name="website" label={t('tip.pub.honeypot')}>
            <Input name="website" tabIndex={-1} autoComplete="off" />
          </Form.Item>
        </div>

        {/* Beside the button: on a phone the top of the form is screens away. */}
        <FormError error={submit.formError} />
        <Button type="primary" htmlType="submit" block size="large" loading={submit.busy} disabled={uploading} data-testid="tip-pub-submit">
          {t('tip.pub.submit')}
        </Button>
        {uploading && (
          <Typography.Text type="secondary" className="zb-tip-pub-uploading">
            {t('tip.pub.photosUploading')}
          </Typography.Text>
        )}
      </Form>
    </Card>
  );
}

/** The enterprise search of the door: names and districts as the user types (2 characters or more). */
function EnterpriseSearch({ id, value, onChange, picked, onPick }: { id?: string; value?: string; onChange?: (v: string | undefined) => void; picked?: Enterprise; onPick: (e: Enterprise | undefined) => void }) {
  const t = useT();
  const { lang } = useLang();
  const [q, setQ] = useState('');
  const [found, setFound] = useState<{ items: Enterprise[]; loading: boolean; error: string | null }>({ items: [], loading: false, error: null });

  useEffect(() => {
    const term = q.trim();
    if (term.length < 2) {
      setFound({ items: [], loading: false, error: null });
      return;
    }
    const ctrl = new AbortController();
    setFound((f) => ({ ...f, loading: true, error: null }));
    // The search is limited per address: ask once the typing pauses.
    const timer = setTimeout(() => {
      api.get<{ items: Enterprise[] }>('/api/public/enterprises', { q: term }, ctrl.signal).then(
        (r) => !ctrl.signal.aborted && setFound({ items: r.items, loading: false, error: null }),
        (err: unknown) => !ctrl.signal.aborted && setFound({ items: [], loading: false, error: problemText(err, lang, t) }),
      );
    }, 300);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [q, lang, t]);

  // The chosen one stays an option when the search moves on, so the box keeps its name.
  const items = picked && !found.items.some((e) => e.id === picked.id) ? [picked, ...found.items] : found.items;
  const notFound = found.loading ? <Spin size="small" /> : found.error ?? (q.trim().length < 2 ? t('tip.pub.enterpriseHint') : t('tip.pub.enterpriseNone'));

  return (
    <Select<string>
      id={id}
      value={value}
      allowClear
      placeholder={t('tip.pub.enterprisePlaceholder')}
      showSearch={{ filterOption: false, onSearch: setQ }}
      options={items.map((e) => ({ value: e.id, label: e.name, district: e.districtName }))}
      optionRender={(o) => (
        <div className="zb-tip-pub-option">
          <div>{o.label}</div>
          <Typography.Text type="secondary">{o.data.district}</Typography.Text>
        </div>
      )}
      notFoundContent={<span className="zb-tip-pub-notfound">{notFound}</span>}
      onChange={(v) => {
        onChange?.(v);
        onPick(items.find((e) => e.id === v));
      }}
      data-testid="tip-pub-enterprise"
    />
  );
}

/** Up to five photos, each sent to the door's own upload as soon as it is chosen; the form value is their ids. */
function PhotoUpload({ id, value, onChange, onUploadingChange }: { id?: string; value?: string[]; onChange?: (ids: string[]) => void; onUploadingChange: (busy: boolean) => void }) {
  const t = useT();
  const { lang } = useLang();
  const [files, setFiles] = useState<UploadFile<Uploaded>[]>([]);
  const [errors, setErrors] = useState<string[]>([]);
  const addError = (text: string) => setErrors((es) => (es.includes(text) ? es : [...es, text]));

  const update = (all: UploadFile<Uploaded>[]) => {
    // A failed photo is said below and dropped, so it takes no place among the five.
    const next = all.filter((f) => f.status !== 'error');
    setFiles(next);
    onUploadingChange(next.some((f) => f.status === 'uploading'));
    const ids = next.filter((f) => f.status === 'done' && f.response).map((f) => f.response!.id);
    const before = value ?? [];
    if (ids.length !== before.length || ids.some((x, i) => x !== before[i])) onChange?.(ids);
  };

  const props: UploadProps<Uploaded> = {
    accept: 'image/jpeg,image/png,image/webp,image/*',
    multiple: true,
    listType: 'picture-card',
    fileList: files,
    showUploadList: { showPreviewIcon: false },
    beforeUpload: (file, batch) => {
      const index = batch.indexOf(file);
      if (index === 0) setErrors([]);
      if (files.length + index >= MAX_PHOTOS) {
        addError(t('tip.pub.photoTooMany'));
        return Upload.LIST_IGNORE;
      }
      if (file.type && !PHOTO_TYPES.includes(file.type)) {
        addError(t('tip.pub.photoType', { name: file.name }));
        return Upload.LIST_IGNORE;
      }
      if (file.size > MAX_PHOTO_BYTES) {
        addError(t('tip.pub.photoTooLarge', { name: file.name }));
        return Upload.LIST_IGNORE;
      }
      return true;
    },
    customRequest: ({ file, onProgress, onSuccess, onError }) => {
      const ctrl = new AbortController();
      const f = file as File;
      api.sendFile<Uploaded>('/api/public/files', f, { signal: ctrl.signal, onProgress: (x) => onProgress?.({ percent: Math.round(x * 100) }) }).then(
        (u) => onSuccess?.(u),
        (err: unknown) => {
          if (!(err instanceof DOMException && err.name === 'AbortError')) addError(t('tip.pub.photoFailed', { name: f.name, text: problemText(err, lang, t) }));
          onError?.(err instanceof Error ? err : new Error(String(err)));
        },
      );
      return { abort: () => ctrl.abort() };
    },
    onChange: ({ fileList }) => update(fileList),
  };

  return (
    <div id={id} className="zb-tip-pub-photos" data-testid="tip-pub-photos">
      <Upload<Uploaded> {...props}>
        {files.length < MAX_PHOTOS && (
          <div className="zb-tip-pub-photo-add">
            <CameraOutlined />
            <div>{t('tip.pub.addPhoto')}</div>
          </div>
        )}
      </Upload>
      {errors.map((e) => (
        <Typography.Text key={e} type="danger" className="zb-tip-pub-photo-error" data-testid="tip-pub-photo-error">
          {e}
        </Typography.Text>
      ))}
    </div>
  );
}

/** The receipt and the secret, shown once: large, copyable, with the warning that the secret cannot be had again. */
function Sent({ receipt, onLookup, onAnother }: { receipt: Receipt; onLookup: () => void; onAnother: () => void }) {
  const t = useT();
  return (
    <Card className="zb-card">
      <Result status="success" className="zb-tip-pub-result" title={t('tip.pub.doneTitle')} subTitle={t('tip.pub.doneSub')} />
      <Alert type="warning" showIcon title={t('tip.pub.saveWarning')} className="zb-tip-pub-warning" />
      <div className="zb-tip-pub-codes">
        <Code label={t('tip.pub.receipt')} value={receipt.receipt} testId="tip-pub-receipt" />
        <Code label={t('tip.pub.secret')} value={receipt.secret} testId="tip-pub-secret" />
      </div>
      <Typography.Paragraph className="zb-tip-pub-accept-by" data-testid="tip-pub-accept-by">
        {t('tip.pub.acceptBy', { date: receipt.acceptBy })}
      </Typography.Paragraph>
      <Flex vertical gap={12} className="zb-tip-pub-actions">
        <Button type="primary" size="large" block onClick={onLookup} data-testid="tip-pub-go-lookup">
          {t('tip.pub.goLookup')}
        </Button>
        <Button size="large" block onClick={onAnother} data-testid="tip-pub-another">
          {t('tip.pub.another')}
        </Button>
      </Flex>
    </Card>
  );
}

function Code({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="zb-tip-pub-code">
      <div className="zb-tip-pub-code-label">{label}</div>
      <Typography.Text copyable={{ text: value }} className="zb-tip-pub-code-value">
        <span data-testid={testId}>{value}</span>
      </Typography.Text>
    </div>
  );
}

interface LookupValues {
  receipt: string;
  secret: string;
}

/** 查询进度: the receipt and the secret open the status and the office's feedback, and a reward to claim. */
function Lookup({ seed }: { seed: { receipt: string } }) {
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
              <Alert type="success" showIcon title={t('tip.pub.rewardReady', { amount: yuan(reward.amountYuan, lang) })} description={reward.howToClaim} />
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
