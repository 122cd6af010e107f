import { CameraOutlined, FileSearchOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Flex, Form, Input, Radio, Result, Segmented, Select, Spin, Typography, Upload } from 'antd';
import type { UploadFile, UploadProps } from 'antd';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { z } from 'zod';
import { TIP_CATEGORIES, TIP_CATEGORY_LABELS } from '../../../shared/contracts/tips';
import type { PublicEnterprise, PublicTipReceipt } from '../../../shared/contracts/tips';
import { api } from '../../api';
import { FormError, useFormSubmit } from '../../components/FormParts';
import { PublicHeader } from '../../components/PublicHeader';
import { problemText } from '../../errors';
import { useAsync } from '../../hooks';
import type { AsyncState } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { Lookup } from './PublicTipLookup';
import { optional, PHONE } from './public-shared';

type Receipt = z.infer<typeof PublicTipReceipt>;
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
