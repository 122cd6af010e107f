import { PlusOutlined, PrinterOutlined, QrcodeOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, Card, Col, DatePicker, Drawer, Form, Input, Modal, QRCode, Radio, Row, Segmented, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import type { z } from 'zod';
import { REWARD_STATUSES, REWARD_STATUS_LABELS, TIP_CATEGORIES, TIP_CATEGORY_LABELS, TIP_CHANNELS, TIP_CHANNEL_LABELS, TIP_STATUSES, TIP_STATUS_LABELS } from '../../../shared/contracts/tips';
import type { Tip, TipCounts, TipStats } from '../../../shared/contracts/tips';
import { api } from '../../api';
import { Clip } from '../../components/Clip';
import { ErrorState, BlockLoading } from '../../components/Feedback';
import { DrawerFooter, FormError, useFormSubmit } from '../../components/FormParts';
import { FilterItem, ListPage } from '../../components/ListPage';
import { EnterpriseSelect } from '../../components/EnterpriseSelect';
import { PageHeader } from '../../components/PageHeader';
import { DistrictSelect } from '../../components/RegionSelects';
import { formatDate, formatDateTime } from '../../format';
import { useAsync, useIsPhone } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { useMe } from '../../session';
import { handlesTips, seesTipStats } from './access';
import { pct } from './CockpitCard';

const FILTER_KEYS = ['q', 'status', 'category', 'channel', 'districtCode', 'overdue', 'from', 'to', 'substantiated', 'acceptedOnTime', 'verifiedOnTime', 'withHazards', 'rewardStatus'];
const STATUS_COLORS: Record<Tip['status'], string> = { received: 'gold', accepted: 'blue', declined: 'default', verified: 'cyan', closed: 'green' };

export function TipStatusTag({ tip }: { tip: Pick<Tip, 'status' | 'overdue'> }) {
  const t = useT();
  const { lang } = useLang();
  return (
    <Space size={4} wrap>
      <Tag color={STATUS_COLORS[tip.status]} data-testid="tip-status">
        {pick(lang, TIP_STATUS_LABELS[tip.status])}
      </Tag>
      {tip.overdue && <Tag color="red">{t('tip.overdue')}</Tag>}
    </Space>
  );
}

/** A step's last day and how far it is: days left, due today, or days overdue (Shanghai days, as the browser's). */
export function Countdown({ date }: { date: string | null }) {
  const t = useT();
  if (!date) return null;
  const days = dayjs(date).startOf('day').diff(dayjs().startOf('day'), 'day');
  const note = days > 0 ? t('tip.daysLeft', { n: days }) : days === 0 ? t('tip.dueToday') : t('tip.daysOver', { n: -days });
  return (
    <span>
      {formatDate(date)} <Typography.Text type={days < 0 ? 'danger' : days <= 2 ? 'warning' : 'secondary'}>{note}</Typography.Text>
    </span>
  );
}

/** The step a tip waits for, and its last day. */
export function nextDeadline(tip: Pick<Tip, 'status' | 'acceptBy' | 'verifyBy' | 'feedbackBy'>): string | null {
  return tip.status === 'received' ? tip.acceptBy : tip.status === 'accepted' ? tip.verifyBy : tip.status === 'verified' ? tip.feedbackBy : null;
}

/** 举报奖励: the tips in scope (never the reporter), their figures, the poster's QR code, a tip taken by phone. */
export default function TipsPage() {
  const t = useT();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const view = params.get('view') === 'stats' && seesTipStats(me) ? 'stats' : 'list';
  const setView = (v: string) => setParams(v === 'stats' ? new URLSearchParams({ view: 'stats' }) : new URLSearchParams(), { replace: false });
  return (
    <div className="zb-page">
      {seesTipStats(me) && (
        <Segmented
          value={view}
          onChange={(v) => setView(String(v))}
          options={[
            { value: 'list', label: t('tip.view.list') },
            { value: 'stats', label: t('tip.view.stats') },
          ]}
          style={{ marginBottom: 12 }}
          data-testid="tip-view"
        />
      )}
      {view === 'stats' ? <TipStatsView /> : <TipList />}
    </div>
  );
}

function TipList() {
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const navigate = useNavigate();
  const [registering, setRegistering] = useState(false);
  const [poster, setPoster] = useState(false);
  const [reloadKey, setReloadKey] = useState(0);
  const columns = useMemo<TableColumnsType<Tip>>(
    () => [
      { key: 'code', title: t('tip.col.code'), dataIndex: 'code', width: 190, render: (v: string, r) => <Link to={`/tips/${r.id}`} className="zb-mono">{v}</Link> },
      { key: 'received', title: t('tip.col.received'), width: 150, render: (_, r) => formatDateTime(r.receivedAt) },
      { key: 'category', title: t('tip.col.category'), width: 150, render: (_, r) => pick(lang, TIP_CATEGORY_LABELS[r.category]) },
      { key: 'about', title: t('tip.col.about'), render: (_, r) => <Clip text={r.enterpriseName ?? r.place ?? r.description} /> },
      { key: 'channel', title: t('tip.col.channel'), width: 110, render: (_, r) => pick(lang, TIP_CHANNEL_LABELS[r.channel]) },
      { key: 'status', title: t('tip.col.status'), width: 150, render: (_, r) => <TipStatusTag tip={r} /> },
      { key: 'due', title: t('tip.col.due'), width: 130, render: (_, r) => <Countdown date={nextDeadline(r)} /> },
      {
        key: 'reward',
        title: t('tip.col.reward'),
        width: 120,
        render: (_, r) => (r.rewardStatus === 'none' ? '' : `${pick(lang, REWARD_STATUS_LABELS[r.rewardStatus])}${r.rewardYuan !== null ? ` ¥${r.rewardYuan.toLocaleString()}` : ''}`),
      },
    ],
    [t, lang],
  );
  const flag = (key: string, label: string) => (
    <FilterItem name={key} label={label}>
      <Select allowClear placeholder={t('common.all')} options={[{ value: 'true', label: t('tip.yes') }, { value: 'false', label: t('tip.no') }]} />
    </FilterItem>
  );
  return (
    <>
      <ListPage<Tip>
        title={t('tip.title')}
        endpoint="/api/tips"
        columns={columns}
        rowKey="id"
        filterKeys={FILTER_KEYS}
        textKeys={['q']}
        reloadKey={reloadKey}
        testId="tip-table"
        onRowClick={(r) => navigate(`/tips/${r.id}`)}
        pinnedFilters={['status', 'category', 'overdue']}
        extra={
          <>
            <Button icon={<QrcodeOutlined />} onClick={() => setPoster(true)} data-testid="tip-poster">
              {t('tip.poster')}
            </Button>
            {handlesTips(me) && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setRegistering(true)} data-testid="tip-register">
                {t('tip.register')}
              </Button>
            )}
          </>
        }
        filters={() => (
          <>
            <FilterItem name="q" label={t('common.search')} wide primary>
              <Input prefix={<SearchOutlined />} placeholder={t('tip.searchPh')} allowClear data-testid="tip-search" />
            </FilterItem>
            <FilterItem name="status" label={t('tip.col.status')}>
              <Select allowClear placeholder={t('common.all')} options={TIP_STATUSES.map((s) => ({ value: s, label: pick(lang, TIP_STATUS_LABELS[s]) }))} data-testid="tip-filter-status" />
            </FilterItem>
            <FilterItem name="category" label={t('tip.col.category')}>
              <Select allowClear placeholder={t('common.all')} options={TIP_CATEGORIES.map((s) => ({ value: s, label: pick(lang, TIP_CATEGORY_LABELS[s]) }))} />
            </FilterItem>
            {flag('overdue', t('tip.overdue'))}
            <FilterItem name="channel" label={t('tip.col.channel')}>
              <Select allowClear placeholder={t('common.all')} options={TIP_CHANNELS.map((s) => ({ value: s, label: pick(lang, TIP_CHANNEL_LABELS[s]) }))} />
            </FilterItem>
            <FilterItem name="districtCode" label={t('tip.district')}>
              <DistrictSelect placeholder={t('common.all')} />
            </FilterItem>
            <FilterItem name="from" label={t('tip.fromMonth')}>
              <Input placeholder="2026-01" allowClear />
            </FilterItem>
            <FilterItem name="to" label={t('tip.toMonth')}>
              <Input placeholder="2026-12" allowClear />
            </FilterItem>
            {flag('substantiated', t('tip.substantiated'))}
            {flag('acceptedOnTime', t('tip.acceptedOnTime'))}
            {flag('verifiedOnTime', t('tip.verifiedOnTime'))}
            {flag('withHazards', t('tip.withHazards'))}
            <FilterItem name="rewardStatus" label={t('tip.col.reward')}>
              <Select allowClear placeholder={t('common.all')} options={REWARD_STATUSES.map((s) => ({ value: s, label: pick(lang, REWARD_STATUS_LABELS[s]) }))} />
            </FilterItem>
          </>
        )}
      />
      <RegisterTipDrawer
        open={registering}
        onClose={() => setRegistering(false)}
        onSaved={() => {
          setRegistering(false);
          setReloadKey((k) => k + 1);
        }}
      />
      <PosterModal open={poster} onClose={() => setPoster(false)} />
    </>
  );
}

/** The public door's address as a QR code, for posters in workplaces: printed from the browser. */
function PosterModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT();
  const url = `${window.location.origin}/report`;
  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={t('tip.poster')}
      footer={
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>
          {t('tip.posterPrint')}
        </Button>
      }
    >
      <div className="zb-tip-poster" data-testid="tip-poster-card">
        <Typography.Title level={3} style={{ textAlign: 'center' }}>
          {t('tip.posterHeading')}
        </Typography.Title>
        <div style={{ display: 'flex', justifyContent: 'center' }}>
          <QRCode value={url} size={220} />
        </div>
        <Typography.Paragraph style={{ textAlign: 'center', marginTop: 12 }}>{t('tip.posterText')}</Typography.Paragraph>
        <Typography.Paragraph style={{ textAlign: 'center' }} copyable>
          {url}
        </Typography.Paragraph>
      </div>
    </Modal>
  );
}

type Receipt = { id: string; code: string; receipt: string; secret: string; acceptBy: string };

/** 登记举报: a tip an office took by phone, letter, visit or from the 12345 hotline; the receipt and secret are read back to the reporter. */
function RegisterTipDrawer({ open, onClose, onSaved }: { open: boolean; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const phone = useIsPhone();
  const [form] = Form.useForm();
  const [done, setDone] = useState<Receipt | null>(null);
  const anonymous = Form.useWatch('anonymous', form) ?? true;
  const { busy, formError, onFinish } = useFormSubmit<Record<string, unknown>>(form, async (v) => {
    const received = v.receivedOn as dayjs.Dayjs | undefined;
    const body = { ...v, receivedOn: received ? received.format('YYYY-MM-DD') : undefined, anonymous: v.anonymous ?? true, name: v.anonymous === false ? v.name || undefined : undefined, phone: v.anonymous === false ? v.phone || undefined : undefined };
    setDone(await api.post<Receipt>('/api/tips', body));
  });
  const close = () => {
    if (done) onSaved();
    else onClose();
    setDone(null);
    form.resetFields();
  };
  return (
    <Drawer open={open} onClose={close} title={t('tip.register')} size={phone ? 'default' : 'large'} destroyOnHidden footer={done ? <Button onClick={close}>{t('common.close')}</Button> : <DrawerFooter onCancel={close} onSubmit={() => form.submit()} busy={busy} testId="tip-register-submit" />}>
      {done ? (
        <Space orientation="vertical" size={12} data-testid="tip-register-done">
          <Typography.Text>{t('tip.registered', { code: done.code })}</Typography.Text>
          <Typography.Text>{t('tip.readBack')}</Typography.Text>
          <Typography.Text code copyable style={{ fontSize: 18 }}>{done.receipt}</Typography.Text>
          <Typography.Text code copyable style={{ fontSize: 18 }}>{done.secret}</Typography.Text>
          <Typography.Text type="secondary">{t('tip.acceptBy', { date: formatDate(done.acceptBy) })}</Typography.Text>
        </Space>
      ) : (
        <Form form={form} layout="vertical" initialValues={{ channel: 'phone', anonymous: true }} onFinish={(v) => void onFinish(v)}>
          <FormError error={formError} />
          <Form.Item name="channel" label={t('tip.col.channel')} rules={[{ required: true }]}>
            <Select options={TIP_CHANNELS.filter((c) => c !== 'web').map((c) => ({ value: c, label: pick(lang, TIP_CHANNEL_LABELS[c]) }))} />
          </Form.Item>
          <Form.Item name="receivedOn" label={t('tip.receivedOn')} extra={t('tip.receivedOnHelp')}>
            <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs().endOf('day'))} />
          </Form.Item>
          <Form.Item name="category" label={t('tip.col.category')} rules={[{ required: true, message: t('common.select', { field: t('tip.col.category') }) }]}>
            <Select options={TIP_CATEGORIES.map((c) => ({ value: c, label: pick(lang, TIP_CATEGORY_LABELS[c]) }))} />
          </Form.Item>
          <Form.Item name="enterpriseId" label={t('tip.enterprise')} extra={t('tip.enterpriseHelp')}>
            <EnterpriseSelect />
          </Form.Item>
          <Form.Item name="districtCode" label={t('tip.district')}>
            <DistrictSelect />
          </Form.Item>
          <Form.Item name="place" label={t('tip.place')}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="description" label={t('tip.description')} rules={[{ required: true, min: 10, message: t('tip.descriptionMin') }]}>
            <Input.TextArea rows={4} maxLength={2000} showCount />
          </Form.Item>
          <Form.Item name="anonymous" label={t('tip.identity')}>
            <Radio.Group options={[{ value: true, label: t('tip.anonymous') }, { value: false, label: t('tip.named') }]} />
          </Form.Item>
          {anonymous === false && (
            <>
              <Form.Item name="name" label={t('tip.reporterName')} extra={t('tip.sealedNote')}>
                <Input maxLength={50} autoComplete="off" />
              </Form.Item>
              <Form.Item name="phone" label={t('tip.reporterPhone')}>
                <Input maxLength={30} autoComplete="off" />
              </Form.Item>
            </>
          )}
        </Form>
      )}
    </Drawer>
  );
}

type Stats = z.infer<typeof TipStats>;


/** 举报统计: each figure opens the list with the same filters (and the same total). */
function TipStatsView() {
  const t = useT();
  const { lang } = useLang();
  const [params] = useSearchParams();
  const now = new Date();
  const to = params.get('to') ?? `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
  const from = params.get('from') ?? `${Number(to.slice(0, 4)) - 1}${to.slice(4)}`;
  const stats = useAsync((signal) => api.get<Stats>('/api/tips/stats', { from, to }, signal), [from, to]);
  if (stats.error && !stats.loading) return <ErrorState error={stats.error} onRetry={stats.reload} />;
  if (!stats.data) return <BlockLoading />;
  const s = stats.data;
  const link = (q: Record<string, string>) => `/tips?${new URLSearchParams({ from: s.from, to: s.to, ...q }).toString()}`;
  const n = (value: number, q: Record<string, string>, id?: string) => (
    <Link to={link(q)} data-testid={id}>
      {value.toLocaleString()}
    </Link>
  );
  const row = (c: TipCounts, q: Record<string, string>) => ({
    received: n(c.received, q),
    onTime: `${pct(c.acceptedOnTime, c.accepted + c.declined)} / ${pct(c.verifiedOnTime, c.verified)}`,
    substantiated: n(c.substantiated, { ...q, substantiated: 'true' }),
    share: pct(c.substantiated, c.verified),
    hazards: `${c.hazards} / ${c.majorHazards}`,
    rewards: `${c.rewardsApproved} · ¥${c.rewardsApprovedYuan.toLocaleString()} / ${c.rewardsPaid} · ¥${c.rewardsPaidYuan.toLocaleString()}`,
  });
  const cols = (first: string) => [
    { key: 'k', title: first, dataIndex: 'k' },
    { key: 'received', title: t('tip.st.received'), dataIndex: 'received' },
    { key: 'onTime', title: t('tip.st.onTime'), dataIndex: 'onTime' },
    { key: 'substantiated', title: t('tip.st.substantiated'), dataIndex: 'substantiated' },
    { key: 'share', title: t('tip.st.share'), dataIndex: 'share' },
    { key: 'hazards', title: t('tip.st.hazards'), dataIndex: 'hazards' },
    { key: 'rewards', title: t('tip.st.rewards'), dataIndex: 'rewards' },
  ];
  const T = s.totals;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="tip-stats">
      <PageHeader title={t('tip.st.title')} subTitle={`${s.from} — ${s.to}`} />
      <Row gutter={[12, 12]}>
        {[
          { key: 'received', title: t('tip.st.received'), value: n(T.received, {}, 'tip-st-received') },
          { key: 'accepted', title: t('tip.st.acceptedOnTime'), value: <>{n(T.acceptedOnTime, { acceptedOnTime: 'true' })} <Typography.Text type="secondary">{pct(T.acceptedOnTime, T.accepted + T.declined)}</Typography.Text></> },
          { key: 'verified', title: t('tip.st.verifiedOnTime'), value: <>{n(T.verifiedOnTime, { verifiedOnTime: 'true' })} <Typography.Text type="secondary">{pct(T.verifiedOnTime, T.verified)}</Typography.Text></> },
          { key: 'substantiated', title: t('tip.st.substantiated'), value: <>{n(T.substantiated, { substantiated: 'true' })} <Typography.Text type="secondary">{pct(T.substantiated, T.verified)}</Typography.Text></> },
          { key: 'hazards', title: t('tip.st.withHazards'), value: <>{n(T.withHazards, { withHazards: 'true' })} <Typography.Text type="secondary">{t('tip.st.hazardsNote', { n: T.hazards, major: T.majorHazards })}</Typography.Text></> },
          { key: 'paid', title: t('tip.st.paid'), value: <>{n(T.rewardsPaid, { rewardStatus: 'paid' })} <Typography.Text type="secondary">{`¥${T.rewardsPaidYuan.toLocaleString()}`}</Typography.Text></> },
        ].map((x) => (
          <Col key={x.key} xs={12} md={8} xl={4}>
            <Card size="small" className="zb-card">
              <Statistic title={x.title} valueRender={() => x.value} />
            </Card>
          </Col>
        ))}
      </Row>
      <Card size="small" className="zb-card" title={t('tip.st.byMonth')}>
        <Table size="small" rowKey="k" pagination={false} scroll={{ x: 720 }} columns={cols(t('tip.st.month'))} dataSource={s.byMonth.map((m) => ({ k: m.month, ...row(m, { from: m.month, to: m.month }) }))} />
      </Card>
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={12}>
          <Card size="small" className="zb-card" title={t('tip.st.byChannel')}>
            <Table size="small" rowKey="k" pagination={false} scroll={{ x: 720 }} columns={cols(t('tip.col.channel'))} dataSource={s.byChannel.map((m) => ({ ...row(m, { channel: m.channel }), k: pick(lang, TIP_CHANNEL_LABELS[m.channel]) }))} />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" className="zb-card" title={t('tip.st.byCategory')}>
            <Table size="small" rowKey="k" pagination={false} scroll={{ x: 720 }} columns={cols(t('tip.col.category'))} dataSource={s.byCategory.map((m) => ({ ...row(m, { category: m.category }), k: pick(lang, TIP_CATEGORY_LABELS[m.category]) }))} />
          </Card>
        </Col>
      </Row>
      <Card size="small" className="zb-card" title={t('tip.st.byDistrict')}>
        <Table size="small" rowKey="k" pagination={false} scroll={{ x: 720 }} columns={cols(t('tip.district'))} dataSource={s.byDistrict.map((m) => ({ ...row(m, { districtCode: m.districtCode }), k: m.districtName }))} />
      </Card>
    </Space>
  );
}
