import { Alert, App, Button, Checkbox, DatePicker, Drawer, Flex, Form, Input, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import type { z } from 'zod';
import { RISK_CLASSES, STANDARDIZATION_LEVELS } from '../../../shared/contracts/enforcement';
import type { Draw, DrawFilter, DrawSummary, Replay } from '../../../shared/contracts/enforcement';
import { RISK_CLASS_LABELS, STANDARDIZATION_LABELS } from '../../../shared/roles';
import { api } from '../../api';
import type { ListResult } from '../../api';
import { ErrorState, BlockLoading } from '../../components/Feedback';
import { DrawerFooter, FormError, useFormSubmit } from '../../components/FormParts';
import { DistrictSelect, IndustrySelect, StreetSelect } from '../../components/RegionSelects';
import { TableCard } from '../../components/TableCard';
import { problemText } from '../../errors';
import { formatDate, formatDateTime, scopeOf } from '../../format';
import { useAsync, useDistricts, useIsPhone } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import type { Lang, Translate } from '../../i18n';
import { useMe } from '../../session';
import { mayManageEnforcement } from './access';
import type { ViewProps } from './viewParams';
import { enforcementHref } from './viewParams';
import { FactList } from '../../components/FactList';

type Summary = z.infer<typeof DrawSummary>;
type ReplayResult = z.infer<typeof Replay>;

/** 双随机抽查: the draws in scope; an officer draws, anyone in scope replays, an officer publishes. */
export function DrawsView({ params, set }: ViewProps) {
  const t = useT();
  const me = useMe();
  const mayDraw = mayManageEnforcement(me);
  const page = Number(params.get('page') ?? 1);
  const list = useAsync((signal) => api.get<ListResult<Summary>>('/api/draws', { page, pageSize: 20 }, signal), [page]);
  const districts = useDistricts();
  const districtName = (code: string | null) => (code ? (districts.data?.find((d) => d.code === code)?.name ?? code) : t('enf.city'));
  const [drawing, setDrawing] = useState(false);
  const open = params.get('draw');
  const columns: TableColumnsType<Summary> = [
    { key: 'title', title: t('enf.draw.title'), render: (_, d) => <a data-testid="enf-draw-open">{d.title}</a> },
    { key: 'date', title: t('enf.draw.date'), render: (_, d) => formatDate(d.date) },
    { key: 'n', title: t('enf.draw.countOfPool'), align: 'right', render: (_, d) => `${d.count} / ${d.poolSize}` },
    { key: 'district', title: t('enf.district'), render: (_, d) => districtName(d.districtCode) },
    { key: 'published', title: t('enf.draw.published'), render: (_, d) => (d.published ? <Tag color="green">{t('enf.draw.isPublic')}</Tag> : <Tag>{t('enf.draw.notPublic')}</Tag>) },
    { key: 'by', title: t('enf.draw.by'), render: (_, d) => `${d.createdByName} · ${formatDateTime(d.createdAt)}` },
  ];
  return (
    <>
      <TableCard<Summary>
        title={t('enf.draw.list')}
        extra={
          mayDraw && (
            <Button type="primary" size="small" onClick={() => setDrawing(true)} data-testid="enf-draw-new">
              {t('enf.draw.new')}
            </Button>
          )
        }
        list={list}
        columns={columns}
        empty={t('enf.draw.none')}
        testId="enf-draw-table"
        paging={{ page, onChange: (p) => set({ page: p > 1 ? String(p) : null }) }}
        onRowClick={(d) => set({ draw: d.id })}
      />
      {drawing && (
        <DrawForm
          onClose={() => setDrawing(false)}
          onDone={(d) => {
            list.reload();
            set({ draw: d.id });
          }}
        />
      )}
      {open && <DrawDrawer key={open} id={open} districtName={districtName} onClose={() => set({ draw: null })} onChanged={list.reload} />}
    </>
  );
}

interface DrawFormValues {
  title?: string;
  filter: Omit<DrawFilter, 'notInspectedSince'> & { notInspectedSince?: dayjs.Dayjs };
  count: number;
  inspectorsPerInspection: number;
  date: dayjs.Dayjs;
}

/** Only the conditions chosen: an empty list or an unticked box is no condition. */
function chosen(f: DrawFormValues['filter']): DrawFilter {
  const out: Record<string, unknown> = { ...f, notInspectedSince: f.notInspectedSince?.format('YYYY-MM-DD') };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined && v !== null && v !== false && !(Array.isArray(v) && !v.length))) as DrawFilter;
}

function DrawForm({ onClose, onDone }: { onClose: () => void; onDone: (d: Draw) => void }) {
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const phone = useIsPhone();
  const { message } = App.useApp();
  const scope = scopeOf(me.regionCode);
  const [form] = Form.useForm<DrawFormValues>();
  const district = Form.useWatch(['filter', 'districtCode'], form);
  const { busy, formError, onFinish } = useFormSubmit<DrawFormValues>(form, async (v) => {
    const made = await api.post<Draw>('/api/draws', {
      title: v.title?.trim() || undefined,
      filter: chosen(v.filter ?? {}),
      count: v.count,
      inspectorsPerInspection: v.inspectorsPerInspection,
      date: v.date.format('YYYY-MM-DD'),
    });
    message.success(t('enf.draw.made', { n: made.assignments.length, pool: made.poolSize }));
    onDone(made);
    onClose();
  });
  return (
    <Drawer
      open
      title={t('enf.draw.new')}
      onClose={onClose}
      size={phone ? '100%' : 560}
      footer={<DrawerFooter onCancel={onClose} onSubmit={() => form.submit()} busy={busy} submitText={t('enf.draw.submit')} testId="enf-draw-submit" />}
      data-testid="enf-draw-form"
    >
      <Alert type="info" showIcon title={t('enf.draw.hint')} style={{ marginBottom: 16 }} />
      <FormError error={formError} />
      <Form<DrawFormValues>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        onValuesChange={(changed: Partial<DrawFormValues>) => {
          if (changed.filter && 'districtCode' in changed.filter && !scope.streetCode) form.setFieldValue(['filter', 'streetCode'], undefined);
        }}
        initialValues={{ filter: { districtCode: scope.districtCode, streetCode: scope.streetCode }, count: 5, inspectorsPerInspection: 2, date: dayjs() }}
      >
        <Form.Item name="title" label={t('enf.draw.title')} extra={t('enf.draw.titleHint')}>
          <Input maxLength={100} data-testid="enf-draw-title" />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name={['filter', 'districtCode']} label={t('enf.district')} style={{ flex: 1 }}>
            <DistrictSelect disabled={!!scope.districtCode} placeholder={t('enf.allDistricts')} data-testid="enf-draw-district" />
          </Form.Item>
          <Form.Item name={['filter', 'streetCode']} label={t('enf.street')} style={{ flex: 1 }}>
            <StreetSelect districtCode={district} disabled={!!scope.streetCode || !district} placeholder={t('common.all')} />
          </Form.Item>
        </Flex>
        {/* One industry (a section or a division) in the form; the API takes a list. */}
        <Form.Item name={['filter', 'industryCodes']} label={t('enf.industry')} normalize={(v?: string) => (v ? [v] : undefined)} getValueProps={(v?: string[]) => ({ value: v?.[0] })}>
          <IndustrySelect sectionsSelectable placeholder={t('common.all')} />
        </Form.Item>
        <Form.Item name={['filter', 'riskClasses']} label={t('enf.riskClass')}>
          <Select mode="multiple" allowClear placeholder={t('common.all')} options={RISK_CLASSES.map((r) => ({ value: r, label: pick(lang, RISK_CLASS_LABELS[r]) }))} />
        </Form.Item>
        <Form.Item name={['filter', 'standardizationLevels']} label={t('enf.standardization')}>
          <Select mode="multiple" allowClear placeholder={t('common.all')} options={STANDARDIZATION_LEVELS.map((r) => ({ value: r, label: pick(lang, STANDARDIZATION_LABELS[r]) }))} />
        </Form.Item>
        <Flex gap={12} wrap>
          <Form.Item name={['filter', 'notInspectedSince']} label={t('enf.draw.notSince')} style={{ flex: '1 1 200px' }}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name={['filter', 'keyUnitsOnly']} valuePropName="checked" label=" " style={{ flex: '1 1 160px' }}>
            <Checkbox>{t('enf.draw.keyOnly')}</Checkbox>
          </Form.Item>
        </Flex>
        <Flex gap={12} wrap>
          <Form.Item name="count" label={t('enf.draw.count')} rules={[{ required: true, message: t('enf.draw.countRequired') }]} style={{ flex: '1 1 120px' }}>
            <InputNumber min={1} max={2000} precision={0} style={{ width: '100%' }} data-testid="enf-draw-count" />
          </Form.Item>
          <Form.Item name="inspectorsPerInspection" label={t('enf.draw.perInspection')} rules={[{ required: true }]} style={{ flex: '1 1 120px' }}>
            <InputNumber min={2} max={5} precision={0} style={{ width: '100%' }} data-testid="enf-draw-inspectors" />
          </Form.Item>
          <Form.Item name="date" label={t('enf.draw.date')} rules={[{ required: true }]} style={{ flex: '1 1 160px' }}>
            <DatePicker style={{ width: '100%' }} allowClear={false} />
          </Form.Item>
        </Flex>
      </Form>
    </Drawer>
  );
}

/** The draw's conditions in words. */
function filterText(f: DrawFilter, lang: Lang, t: Translate, districtName: (code: string | null) => string): string {
  const parts: string[] = [];
  if (f.districtCode) parts.push(districtName(f.districtCode));
  if (f.streetCode) parts.push(`${t('enf.street')} ${f.streetCode}`);
  if (f.industryCodes?.length) parts.push(`${t('enf.industry')} ${f.industryCodes.join('、')}`);
  if (f.riskClasses?.length) parts.push(f.riskClasses.map((r) => pick(lang, RISK_CLASS_LABELS[r])).join('、'));
  if (f.standardizationLevels?.length) parts.push(`${t('enf.standardization')} ${f.standardizationLevels.map((r) => pick(lang, STANDARDIZATION_LABELS[r])).join('、')}`);
  if (f.keyUnitsOnly) parts.push(t('enf.draw.keyOnly'));
  if (f.notInspectedSince) parts.push(t('enf.draw.notSinceText', { date: f.notInspectedSince }));
  return parts.length ? parts.join('；') : t('enf.draw.noFilter');
}

function DrawDrawer({ id, districtName, onClose, onChanged }: { id: string; districtName: (code: string | null) => string; onClose: () => void; onChanged: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const phone = useIsPhone();
  const { message, modal } = App.useApp();
  const draw = useAsync((signal) => api.get<Draw>(`/api/draws/${encodeURIComponent(id)}`, undefined, signal), [id]);
  const [replay, setReplay] = useState<ReplayResult | null>(null);
  const [busy, setBusy] = useState<'replay' | 'publish' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const d = draw.data;
  const run = async (what: 'replay' | 'publish') => {
    setBusy(what);
    setError(null);
    try {
      if (what === 'replay') setReplay(await api.post<ReplayResult>(`/api/draws/${encodeURIComponent(id)}/replay`));
      else {
        await api.post<Draw>(`/api/draws/${encodeURIComponent(id)}/publish`);
        message.success(t('enf.draw.publishedOk'));
        draw.reload();
        onChanged();
      }
    } catch (err) {
      setError(problemText(err, lang, t));
    } finally {
      setBusy(null);
    }
  };
  const publicPath = `/public/draws/${id}`;
  const excluded = useMemo(() => {
    const list = d?.excluded ?? [];
    return { conflict: list.filter((x) => x.reason === 'conflict').length, recent: list.filter((x) => x.reason === 'recent').length };
  }, [d]);
  const columns: TableColumnsType<Draw['assignments'][number]> = [
    { key: 'k', title: '#', width: 40, render: (_, _a, i) => i + 1 },
    { key: 'enterprise', title: t('enf.col.enterprise'), render: (_, a) => (a.inspectionId ? <Link to={`/enforcement/inspections/${a.inspectionId}`}>{a.enterpriseName}</Link> : a.enterpriseName) },
    { key: 'inspectors', title: t('enf.col.inspectors'), render: (_, a) => a.inspectorNames.join('、') },
  ];
  const yes = (ok: boolean) => (ok ? <Tag color="green">{t('enf.draw.same')}</Tag> : <Tag color="red">{t('enf.draw.differs')}</Tag>);
  return (
    <Drawer
      open
      title={d?.title ?? t('enf.draw.detail')}
      onClose={onClose}
      size={phone ? '100%' : 760}
      footer={
        d && (
          <Flex gap={8} wrap justify="flex-end">
            <Link to={enforcementHref('inspections', { drawId: d.id })}>
              <Button data-testid="enf-draw-inspections">{t('enf.draw.inspections')}</Button>
            </Link>
            <Button onClick={() => void run('replay')} loading={busy === 'replay'} data-testid="enf-draw-replay">
              {t('enf.draw.replay')}
            </Button>
            {mayManageEnforcement(me) && !d.published && (
              <Button
                type="primary"
                loading={busy === 'publish'}
                onClick={() => modal.confirm({ title: t('enf.draw.publishConfirm'), content: t('enf.draw.publishHint'), onOk: () => run('publish') })}
                data-testid="enf-draw-publish"
              >
                {t('enf.draw.publish')}
              </Button>
            )}
          </Flex>
        )
      }
      data-testid="enf-draw-drawer"
    >
      {draw.error && !draw.loading ? (
        <ErrorState error={draw.error} onRetry={draw.reload} />
      ) : !d ? (
        <BlockLoading />
      ) : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <FormError error={error} />
          {replay && (
            <Alert
              type={replay.matches ? 'success' : 'error'}
              showIcon
              title={replay.matches ? t('enf.draw.replayOk') : t('enf.draw.replayBad')}
              description={
                <Space size={4} wrap>
                  {t('enf.draw.pool')} {yes(replay.poolMatches)} {t('enf.draw.seed')} {yes(replay.seedMatches)} {t('enf.draw.result')} {yes(replay.resultMatches)}
                </Space>
              }
              data-testid="enf-draw-replay-result"
            />
          )}
          <FactList
            items={[
              { key: 'date', label: t('enf.draw.date'), children: formatDate(d.date) },
              { key: 'by', label: t('enf.draw.by'), children: `${d.createdByName} · ${formatDateTime(d.createdAt)}` },
              { key: 'filter', label: t('enf.draw.filter'), children: filterText(d.filter, lang, t, districtName) },
              { key: 'n', label: t('enf.draw.countOfPool'), children: <span data-testid="enf-draw-pool-size">{`${d.assignments.length} / ${d.poolSize}`}</span> },
              { key: 'seed', label: t('enf.draw.seed'), children: <Typography.Text code copyable className="zb-break" data-testid="enf-draw-seed">{d.seed}</Typography.Text> },
              {
                key: 'algorithm',
                label: t('enf.draw.algorithm'),
                children: (
                  <>
                    <Typography.Text code data-testid="enf-draw-algorithm">{d.algorithm}</Typography.Text>
                    <div>
                      <Typography.Text type="secondary">{d.algorithmNote}</Typography.Text>
                    </div>
                  </>
                ),
              },
              { key: 'hash', label: t('enf.draw.poolHash'), children: <Typography.Text code copyable className="zb-break" data-testid="enf-draw-hash">{d.poolHash}</Typography.Text> },
              {
                key: 'public',
                label: t('enf.draw.published'),
                children: d.published ? (
                  <Space wrap>
                    <Tag color="green">{t('enf.draw.isPublic')}</Tag>
                    <Typography.Text copyable={{ text: `${window.location.origin}${publicPath}` }}>
                      <a href={publicPath} target="_blank" rel="noopener noreferrer" data-testid="enf-draw-public-link">
                        {t('enf.draw.publicPage')}
                      </a>
                    </Typography.Text>
                  </Space>
                ) : (
                  <Tag>{t('enf.draw.notPublic')}</Tag>
                ),
              },
            ]}
          />
          {(excluded.conflict > 0 || excluded.recent > 0) && <Typography.Text type="secondary">{t('enf.draw.excluded', { conflict: excluded.conflict, recent: excluded.recent })}</Typography.Text>}
          <Table
            rowKey="enterpriseId"
            size="small"
            columns={columns}
            dataSource={d.assignments}
            pagination={d.assignments.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
            scroll={{ x: 'max-content' }}
            data-testid="enf-draw-assignments"
          />
        </Space>
      )}
    </Drawer>
  );
}
