import { PlusOutlined } from '@ant-design/icons';
import { Button, Progress, Select, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { CAMPAIGN_TOPIC_LABELS, CAMPAIGN_TOPICS } from '../../../shared/contracts/campaigns';
import { FilterItem, ListPage } from '../../components/ListPage';
import { useDistricts, useIsPhone } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { useMe } from '../../session';
import { setsUpCampaigns } from './access';
import { CreateCampaignDrawer } from './CreateCampaign';
import type { CampaignRow } from './model';
import { CampaignStateTag, TopicTag } from './tags';

/** 综合整治: the campaigns the reader follows, newest first, with their progress; the offices set one up. */
export default function CampaignsPage() {
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const phone = useIsPhone();
  const navigate = useNavigate();
  const districts = useDistricts();
  const [creating, setCreating] = useState(false);
  const columns: TableColumnsType<CampaignRow> = [
    {
      key: 'title',
      title: t('camp.col.title'),
      render: (_, c) => (
        <div style={{ minWidth: 220 }}>
          <TopicTag topic={c.topic} />
          <div>
            <Link to={`/campaigns/${c.id}`} data-testid="campaign-link">
              {c.title}
            </Link>
          </div>
          <Typography.Text type="secondary">{c.code}</Typography.Text>
        </div>
      ),
    },
    { key: 'period', title: t('camp.col.period'), render: (_, c) => <span className="zb-nowrap">{`${c.from} — ${c.to}`}</span> },
    { key: 'state', title: t('camp.col.state'), render: (_, c) => <CampaignStateTag state={c.state} /> },
    { key: 'targets', title: t('camp.col.targets'), align: 'right', dataIndex: 'targets' },
    {
      key: 'checked',
      title: t('camp.col.checked'),
      render: (_, c) => (
        <div style={{ minWidth: 150 }}>
          <Progress percent={c.targets ? Math.round((c.checked / c.targets) * 100) : 0} size="small" format={() => `${c.checked}/${c.targets}`} />
        </div>
      ),
    },
    {
      key: 'hazards',
      title: `${t('camp.col.hazards')} / ${t('camp.col.closed')}`,
      align: 'right',
      render: (_, c) => (
        <span className="zb-nowrap">
          {c.hazards} / {c.closed}
          {c.major > 0 && <Typography.Text type="danger">{` · ${t('camp.col.major')} ${c.major}`}</Typography.Text>}
        </span>
      ),
    },
  ];
  return (
    <>
      <ListPage<CampaignRow>
        title={t('camp.title')}
        endpoint="/api/campaigns"
        rowKey="id"
        columns={phone ? columns.filter((c) => ['title', 'checked'].includes(String(c.key))) : columns}
        filterKeys={['topic', 'districtCode']}
        testId="campaign-table"
        onRowClick={(c) => navigate(`/campaigns/${c.id}`)}
        extra={
          setsUpCampaigns(me) && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="campaign-create">
              {t('camp.create')}
            </Button>
          )
        }
        filters={() => (
          <>
            <FilterItem name="topic" label={t('camp.col.topic')} primary wide>
              <Select allowClear placeholder={t('common.all')} options={CAMPAIGN_TOPICS.map((k) => ({ value: k, label: pick(lang, CAMPAIGN_TOPIC_LABELS[k]) }))} />
            </FilterItem>
            {me.role !== 'enterprise' && (
              <FilterItem name="districtCode" label={t('camp.col.district')}>
                <Select allowClear placeholder={t('common.all')} loading={districts.loading} options={(districts.data ?? []).map((d) => ({ value: d.code, label: d.name }))} />
              </FilterItem>
            )}
          </>
        )}
      />
      {creating && <CreateCampaignDrawer onClose={() => setCreating(false)} onCreated={(c) => navigate(`/campaigns/${c.id}`)} />}
    </>
  );
}
