import { PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { App, Button, Flex, Input, Select, Space, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { RISK_LEVEL_LABELS, RISK_LEVELS, RISK_METHOD_LABELS, RISK_METHODS } from '../../../shared/contracts/risks';
import type { Risk } from '../../../shared/contracts/risks';
import { Clip } from '../../components/Clip';
import { FilterItem, ListPage } from '../../components/ListPage';
import { clearStreetOnDistrict, RegionFilters } from '../../components/RegionFilters';
import { useIsPhone } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { useMe } from '../../session';
import { writesRisks } from './access';
import { RISK_TYPES } from './methods';
import { RiskFormDrawer } from './RiskForm';
import { FlaggedTag, ReviewDueTag, RiskLevelTag } from './tags';

const FILTER_KEYS = ['q', 'districtCode', 'streetCode', 'level', 'method', 'flagged', 'type'];

/** The register: red first, each item's level with the hazards linked to it; the offices record new items. */
export function RiskList() {
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const phone = useIsPhone();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [creating, setCreating] = useState(false);
  const columns = useMemo<TableColumnsType<Risk>>(
    () => [
      {
        key: 'name',
        title: t('risk.col.name'),
        render: (_, r) => (
          <Flex vertical>
            <Link to={`/risks/${r.id}`} data-testid="risk-link">
              {r.name}
            </Link>
            <Typography.Text type="secondary" className="zb-mono">
              {r.code}
            </Typography.Text>
          </Flex>
        ),
      },
      {
        key: 'level',
        title: t('risk.col.level'),
        render: (_, r) => (
          <Space size={4} wrap>
            <RiskLevelTag level={r.level} />
            <FlaggedTag flagged={r.flagged} />
          </Space>
        ),
      },
      { key: 'type', title: t('risk.col.type'), dataIndex: 'type' },
      {
        key: 'where',
        title: t('risk.col.where'),
        render: (_, r) => (
          <Flex vertical>
            <span className="zb-nowrap">{r.districtName ?? r.districtCode}</span>
            {r.place && <Clip text={r.place} />}
          </Flex>
        ),
      },
      {
        key: 'method',
        title: t('risk.col.method'),
        render: (_, r) => (
          <span className="zb-nowrap" title={pick(lang, RISK_METHOD_LABELS[r.method])}>
            {t(`risk.methodShort.${r.method}`)} · {r.score}
          </span>
        ),
      },
      {
        key: 'hazards',
        title: t('risk.col.hazards'),
        align: 'right',
        render: (_, r) =>
          r.openHazards ? (
            <span className="zb-nowrap">{t('risk.hazardsN', { n: r.openHazards, major: r.openMajorHazards })}</span>
          ) : (
            <Typography.Text type="secondary">0</Typography.Text>
          ),
      },
      {
        key: 'review',
        title: t('risk.col.review'),
        render: (_, r) => (
          <Flex vertical align="flex-start" gap={2}>
            <span className="zb-nowrap">{r.reviewOn ?? '—'}</span>
            <ReviewDueTag due={r.reviewDue} />
          </Flex>
        ),
      },
    ],
    [t, lang],
  );
  const flaggedOptions = [
    { value: 'true', label: t('risk.flagged') },
    { value: 'false', label: t('risk.notFlagged') },
  ];
  return (
    <>
      <ListPage<Risk>
        title={t('risk.title')}
        endpoint="/api/risks"
        columns={phone ? columns.filter((c) => ['name', 'level'].includes(String(c.key))) : columns}
        rowKey="id"
        filterKeys={FILTER_KEYS}
        textKeys={['q']}
        testId="risk-table"
        onRowClick={(r) => navigate(`/risks/${r.id}`)}
        onFiltersChange={clearStreetOnDistrict}
        pinnedFilters={['districtCode', 'level', 'flagged']}
        extra={
          writesRisks(me) && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="risk-create">
              {t('risk.create')}
            </Button>
          )
        }
        filters={() => (
          <>
            <FilterItem name="q" label={t('common.search')} wide primary>
              <Input prefix={<SearchOutlined />} placeholder={t('risk.searchPh')} allowClear data-testid="risk-search" />
            </FilterItem>
            <RegionFilters />
            <FilterItem name="level" label={t('risk.col.level')}>
              <Select allowClear placeholder={t('common.all')} options={RISK_LEVELS.map((l) => ({ value: l, label: pick(lang, RISK_LEVEL_LABELS[l]) }))} data-testid="risk-filter-level" />
            </FilterItem>
            <FilterItem name="method" label={t('risk.f.method')}>
              <Select allowClear placeholder={t('common.all')} options={RISK_METHODS.map((m) => ({ value: m, label: t(`risk.methodShort.${m}`) }))} data-testid="risk-filter-method" />
            </FilterItem>
            <FilterItem name="flagged" label={t('risk.f.flagged')}>
              <Select allowClear placeholder={t('common.all')} options={flaggedOptions} popupMatchSelectWidth={false} data-testid="risk-filter-flagged" />
            </FilterItem>
            <FilterItem name="type" label={t('risk.col.type')}>
              <Select allowClear showSearch placeholder={t('common.all')} options={RISK_TYPES.map((x) => ({ value: x, label: x }))} />
            </FilterItem>
          </>
        )}
      />
      {creating && (
        <RiskFormDrawer
          onClose={() => setCreating(false)}
          onSaved={(r) => {
            void message.success({ content: t('risk.created', { level: pick(lang, RISK_LEVEL_LABELS[r.level]), reason: lang === 'en' ? r.levelReasonEn : r.levelReason }), duration: 6 });
            navigate(`/risks/${r.id}`);
          }}
        />
      )}
    </>
  );
}
