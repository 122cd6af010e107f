import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Form, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { ButtonProps, TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { CHECKER_LABELS } from '../../../shared/contracts/campaigns';
import type { HazardGrade, HazardStatus } from '../../../shared/contracts/hazards';
import { api } from '../../api';
import type { ListResult } from '../../api';
import { EnterprisesSelect } from '../../components/EnterpriseSelect';
import { ErrorState, PageLoading } from '../../components/Feedback';
import { FormError, useFormSubmit } from '../../components/FormParts';
import { PageHeader } from '../../components/PageHeader';
import { TableCard } from '../../components/TableCard';
import { scopeOf } from '../../format';
import { useAsync, useDistricts, useIsPhone, useUrlParams } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { useMe } from '../../session';
import { GradeTag, StatusTag } from '../hazards/HazardTags';
import { checkerKinds, isCityOffice } from './access';
import { CheckDrawer } from './CheckDrawer';
import { PlaceRows } from './CreateCampaign';
import { campaignUrl } from './model';
import type { CampaignFull, Progress, TargetRow } from './model';
import { CampaignStateTag, TopicTag } from './tags';

type DistrictProgress = Progress['byDistrict'][number];
const COUNTS = ['targets', 'checked', 'hazards', 'major', 'closed', 'open'] as const;

/** A campaign: its checklist, the progress per district, and its targets with their checks and findings. */
export default function CampaignPage() {
  const { id = '' } = useParams<{ id: string }>();
  const t = useT();
  const campaign = useAsync((signal) => api.get<CampaignFull>(campaignUrl(id), undefined, signal), [id]);
  const progress = useAsync((signal) => api.get<Progress>(campaignUrl(id, '/progress'), undefined, signal), [id]);
  const [tick, setTick] = useState(0);
  const [adding, setAdding] = useState(false);
  if (campaign.error && !campaign.loading) return <ErrorState error={campaign.error} onRetry={campaign.reload} />;
  const c = campaign.data;
  if (!c) return <PageLoading />;
  const reload = () => {
    progress.reload();
    campaign.reload();
    setTick((n) => n + 1);
  };
  return (
    <div className="zb-page" data-testid="campaign-detail">
      <PageHeader
        title={c.title}
        backTo="/campaigns"
        tags={
          <>
            <TopicTag topic={c.topic} />
            <CampaignStateTag state={c.state} />
          </>
        }
        subTitle={
          <>
            {c.code} · <span className="zb-nowrap">{`${c.from} — ${c.to}`}</span>
          </>
        }
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={reload} aria-label={t('common.reload')} title={t('common.reload')} />
            {c.mayManage && (
              <Button icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="campaign-add-targets">
                {t('camp.addTargets')}
              </Button>
            )}
          </>
        }
      />
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Card className="zb-card" size="small" title={t('camp.checklist')}>
          <ol className="zb-camp-checklist" style={{ margin: 0, paddingInlineStart: 20 }}>
            {c.checklist.map((item) => (
              <li key={item.id}>{item.text}</li>
            ))}
          </ol>
        </Card>
        <ProgressCard progress={progress} />
        <TargetsCard campaign={c} reloadKey={tick} onChecked={reload} districts={progress.data?.byDistrict ?? []} />
      </Space>
      {adding && (
        <AddTargetsModal
          campaign={c}
          onClose={() => setAdding(false)}
          onAdded={() => {
            setAdding(false);
            reload();
          }}
        />
      )}
    </div>
  );
}

function ProgressCard({ progress }: { progress: ReturnType<typeof useAsync<Progress>> }) {
  const t = useT();
  const p = progress.data;
  const columns: TableColumnsType<DistrictProgress> = [
    { key: 'district', title: t('camp.col.district'), dataIndex: 'districtName', render: (v: string) => <strong>{v}</strong> },
    ...COUNTS.map((k) => ({ key: k, title: t(`camp.col.${k}`), dataIndex: k, align: 'right' as const, render: (v: number) => <span data-testid={`progress-${k}`}>{v}</span> })),
  ];
  return (
    <Card className="zb-card" size="small" title={t('camp.progress')}>
      {progress.error && !progress.loading ? (
        <ErrorState error={progress.error} onRetry={progress.reload} />
      ) : (
        <Table<DistrictProgress>
          rowKey="districtCode"
          size="small"
          loading={progress.loading}
          columns={columns}
          dataSource={p?.byDistrict ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          data-testid="campaign-progress"
          summary={() =>
            p && p.byDistrict.length > 1 ? (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}>
                  <strong>{t('camp.total')}</strong>
                </Table.Summary.Cell>
                {COUNTS.map((k, i) => (
                  <Table.Summary.Cell key={k} index={i + 1} align="right">
                    <strong>{p.totals[k]}</strong>
                  </Table.Summary.Cell>
                ))}
              </Table.Summary.Row>
            ) : null
          }
        />
      )}
    </Card>
  );
}

function TargetsCard({ campaign, reloadKey, onChecked, districts }: { campaign: CampaignFull; reloadKey: number; onChecked: () => void; districts: DistrictProgress[] }) {
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const phone = useIsPhone();
  const { message } = App.useApp();
  const { params, set } = useUrlParams();
  const page = Number(params.get('page') ?? 1);
  const districtCode = params.get('district') ?? undefined;
  const status = params.get('status') ?? undefined;
  const [checking, setChecking] = useState<TargetRow | null>(null);
  const list = useAsync(
    (signal) => api.get<ListResult<TargetRow>>(campaignUrl(campaign.id, '/targets'), { districtCode, status, page, pageSize: 20 }, signal),
    [campaign.id, districtCode, status, page, reloadKey],
  );
  const checkButton = (r: TargetRow) =>
    r.status === 'pending' && campaign.state !== 'planned' && checkerKinds(me, r).length > 0 ? (
      <Button size="small" type="primary" onClick={() => setChecking(r)} style={{ alignSelf: 'flex-start' }} data-testid="campaign-target-check">
        {t('camp.check')}
      </Button>
    ) : null;
  const itemText = new Map(campaign.checklist.map((it, i) => [it.id, `${i + 1}. ${it.text}`]));
  const districtName = new Map(districts.map((d) => [d.districtCode, d.districtName]));
  const columns: TableColumnsType<TargetRow> = [
    {
      key: 'name',
      title: t('camp.t.name'),
      render: (_, r) => (
        <Flex vertical style={{ minWidth: 180 }}>
          {r.enterpriseId ? <Link to={`/enterprises/${r.enterpriseId}`}>{r.placeName}</Link> : <span>{r.placeName}</span>}
          <Typography.Text type="secondary">
            {[districtName.get(r.districtCode), r.enterpriseId ? null : t('camp.t.place')].filter(Boolean).join(' · ')}
          </Typography.Text>
          {phone && checkButton(r)}
        </Flex>
      ),
    },
    {
      key: 'status',
      title: t('camp.t.status'),
      render: (_, r) => (
        <Tag color={r.status === 'checked' ? 'success' : 'warning'} data-testid="campaign-target-status" data-status={r.status}>
          {t(r.status === 'checked' ? 'camp.t.checked' : 'camp.t.pending')}
        </Tag>
      ),
    },
    {
      key: 'checker',
      title: t('camp.t.checker'),
      render: (_, r) =>
        r.checkedBy ? (
          <Flex vertical>
            <span className="zb-nowrap">{pick(lang, CHECKER_LABELS[r.checkedBy])}</span>
            {r.checkedByName && <Typography.Text type="secondary">{r.checkedByName}</Typography.Text>}
          </Flex>
        ) : (
          '—'
        ),
    },
    { key: 'date', title: t('camp.t.date'), render: (_, r) => <span className="zb-nowrap">{r.checkedOn ?? '—'}</span> },
    {
      key: 'failed',
      title: t('camp.t.failed'),
      render: (_, r) => {
        const failed = (r.results ?? []).filter((x) => !x.ok);
        if (!r.results) return '—';
        if (!failed.length) return <Typography.Text type="secondary">{t('camp.t.none')}</Typography.Text>;
        return (
          <Flex vertical style={{ maxWidth: 280 }}>
            {failed.map((x) => (
              <Typography.Text key={x.itemId} type="danger">
                {itemText.get(x.itemId) ?? x.itemId}
                {x.note ? `（${x.note}）` : ''}
              </Typography.Text>
            ))}
          </Flex>
        );
      },
    },
    {
      key: 'findings',
      title: t('camp.t.findings'),
      render: (_, r) =>
        r.findings.length ? (
          <Flex vertical gap={4} style={{ maxWidth: 320 }}>
            {r.findings.map((f) => (
              <div key={f.hazardId}>
                <Flex gap={4} wrap align="center">
                  <Link to={`/hazards/${f.hazardId}`} data-testid="campaign-finding-link">
                    {f.code}
                  </Link>
                  <GradeTag value={f.grade as HazardGrade} />
                  <StatusTag value={f.status as HazardStatus} />
                </Flex>
                <Typography.Text type="secondary" ellipsis={{ tooltip: f.description }} style={{ maxWidth: 300 }}>
                  {f.description}
                </Typography.Text>
              </div>
            ))}
          </Flex>
        ) : r.status === 'checked' ? (
          <Typography.Text type="secondary">{t('camp.t.none')}</Typography.Text>
        ) : (
          '—'
        ),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      render: (_, r) => checkButton(r),
    },
  ];
  return (
    <>
      <TableCard<TargetRow>
        title={t('camp.targets')}
        list={list}
        columns={phone ? columns.filter((col) => ['name', 'status', 'findings'].includes(String(col.key))) : columns}
        empty={t('camp.t.empty')}
        testId="campaign-targets"
        paging={{ page, onChange: (p) => set({ page: p > 1 ? String(p) : null }) }}
        before={
          <Flex gap={8} wrap style={{ marginBottom: 12 }}>
            {districts.length > 1 && (
              <Select
                allowClear
                placeholder={t('camp.filter.district')}
                value={districtCode}
                onChange={(v?: string) => set({ district: v ?? null, page: null })}
                options={districts.map((d) => ({ value: d.districtCode, label: d.districtName }))}
                style={{ width: 160 }}
                data-testid="campaign-targets-district"
              />
            )}
            <Select
              allowClear
              placeholder={t('camp.filter.status')}
              value={status}
              onChange={(v?: string) => set({ status: v ?? null, page: null })}
              options={[
                { value: 'pending', label: t('camp.t.pending') },
                { value: 'checked', label: t('camp.t.checked') },
              ]}
              style={{ width: 140 }}
              data-testid="campaign-targets-status"
            />
          </Flex>
        }
      />
      {checking && (
        <CheckDrawer
          campaign={campaign}
          target={checking}
          kinds={checkerKinds(me, checking)}
          onClose={() => setChecking(null)}
          onSaved={() => {
            setChecking(null);
            void message.success(t('camp.check.saved'));
            onChecked();
          }}
        />
      )}
    </>
  );
}

interface AddValues {
  enterpriseIds?: string[];
  places?: { name?: string; districtCode?: string }[];
}

/** 添加整治对象: more enterprises or places (each once; those already listed are counted). */
function AddTargetsModal({ campaign, onClose, onAdded }: { campaign: CampaignFull; onClose: () => void; onAdded: () => void }) {
  const t = useT();
  const me = useMe();
  const { message } = App.useApp();
  const districts = useDistricts();
  const city = isCityOffice(me);
  const own = city ? undefined : scopeOf(me.regionCode).districtCode;
  const [form] = Form.useForm<AddValues>();
  const { busy, formError, onFinish } = useFormSubmit<AddValues>(form, async (v) => {
    const r = await api.post<{ added: number; already: number }>(campaignUrl(campaign.id, '/targets'), {
      enterpriseIds: v.enterpriseIds ?? [],
      places: (v.places ?? []).filter((p) => p.name?.trim()).map((p) => ({ name: p.name!.trim(), districtCode: own ?? p.districtCode })),
    });
    void message.success(t('camp.added', r));
    onAdded();
  });
  const options = (districts.data ?? []).filter((d) => campaign.districtCodes.includes(d.code)).map((d) => ({ value: d.code, label: d.name }));
  return (
    <Modal open width={640} title={t('camp.addTargets')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy} okButtonProps={{ 'data-testid': 'campaign-add-targets-ok' } as ButtonProps}>
      <FormError error={formError} />
      <Form<AddValues> form={form} layout="vertical" initialValues={{ places: [] }} onFinish={(v) => void onFinish(v)}>
        <Form.Item name="enterpriseIds" label={t('camp.f.enterprises')} extra={t('camp.f.targetsHint')}>
          <EnterprisesSelect placeholder={t('camp.f.enterprisesPh')} />
        </Form.Item>
        <PlaceRows districtOptions={city ? options : undefined} />
      </Form>
    </Modal>
  );
}
