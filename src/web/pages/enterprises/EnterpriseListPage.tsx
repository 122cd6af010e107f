import { PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, Input, Select } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import type { Enterprise } from '../../../shared/contracts/enterprises';
import { RISK_CLASS_LABELS, RISK_CLASSES } from '../../../shared/roles';
import { Clip } from '../../components/Clip';
import { ExportButton } from '../../components/ExportButton';
import { FilterItem, ListPage } from '../../components/ListPage';
import { clearStreetOnDistrict, RegionFilters } from '../../components/RegionFilters';
import { IndustrySelect } from '../../components/RegionSelects';
import { RiskTag } from '../../components/Tags';
import { pick, useLang, useT } from '../../i18n';
import { useSession } from '../../session';
import { EnterpriseFormDrawer } from './EnterpriseForm';

const FILTER_KEYS = ['q', 'districtCode', 'streetCode', 'industryCode', 'riskClass', 'sort'];

export default function EnterpriseListPage() {
  const t = useT();
  const { lang } = useLang();
  const { can } = useSession();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  // The export takes exactly what the list's filters select, every page of it.
  const exportQuery = useMemo(() => Object.fromEntries(FILTER_KEYS.flatMap((k) => (params.get(k) ? [[k, params.get(k)!]] : []))), [params]);
  const [creating, setCreating] = useState(false);
  const [reloadKey, setReloadKey] = useState(0);

  const columns = useMemo<TableColumnsType<Enterprise>>(
    () => [
      {
        key: 'name',
        title: t('ent.name'),
        dataIndex: 'name',
        fixed: 'left',
        render: (name: string, e) => (
          <Link to={`/enterprises/${e.id}`} className="zb-ent-name">
            {name}
          </Link>
        ),
      },
      { key: 'uscc', title: t('ent.uscc'), dataIndex: 'uscc', render: (v: string) => <span className="zb-mono">{v}</span> },
      { key: 'district', title: t('ent.district'), dataIndex: 'districtName' },
      {
        key: 'street',
        title: t('ent.street'),
        dataIndex: 'streetName',
        render: (v: string | null) => <Clip text={v} />,
      },
      {
        key: 'industry',
        title: t('ent.industry'),
        dataIndex: 'industryName',
        render: (v: string | null, e) => (
          <Clip text={v}>
            {e.industryCode} {v ?? ''}
          </Clip>
        ),
      },
      { key: 'riskClass', title: t('ent.riskClass'), dataIndex: 'riskClass', render: (v: Enterprise['riskClass']) => <RiskTag value={v} /> },
      { key: 'principal', title: t('ent.principal'), dataIndex: 'principalName' },
    ],
    [t],
  );

  return (
    <>
      <ListPage<Enterprise>
        title={t('ent.title')}
        endpoint="/api/enterprises"
        columns={columns}
        rowKey="id"
        filterKeys={FILTER_KEYS}
        textKeys={['q']}
        reloadKey={reloadKey}
        testId="enterprise-table"
        onRowClick={(e) => navigate(`/enterprises/${e.id}`)}
        onFiltersChange={clearStreetOnDistrict}
        extra={
          <>
            <ExportButton kind="enterprises" query={exportQuery} testId="enterprise-export" />
            {can('enterprises.create') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="enterprise-create">
                {t('ent.create')}
              </Button>
            )}
          </>
        }
        filters={() => (
          <>
            <FilterItem name="q" label={t('common.search')} wide primary>
              <Input prefix={<SearchOutlined />} placeholder={t('ent.searchPlaceholder')} allowClear data-testid="enterprise-search" />
            </FilterItem>
            <RegionFilters />
            <FilterItem name="industryCode" label={t('ent.industry')}>
              <IndustrySelect sectionsSelectable placeholder={t('common.all')} data-testid="filter-industry" />
            </FilterItem>
            <FilterItem name="riskClass" label={t('ent.riskClass')}>
              <Select
                allowClear
                placeholder={t('common.all')}
                options={RISK_CLASSES.map((r) => ({ value: r, label: pick(lang, RISK_CLASS_LABELS[r]) }))}
                data-testid="filter-risk"
              />
            </FilterItem>
            <FilterItem name="sort" label={t('ent.sort')}>
              <Select
                placeholder={t('ent.sortNewest')}
                allowClear
                options={[
                  { value: '-createdAt', label: t('ent.sortNewest') },
                  { value: 'createdAt', label: t('ent.sortOldest') },
                  { value: 'name', label: t('ent.sortName') },
                  { value: '-name', label: t('ent.sortNameDesc') },
                ]}
              />
            </FilterItem>
          </>
        )}
      />
      <EnterpriseFormDrawer
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={() => {
          setCreating(false);
          // Newest first with no filters: the new enterprise is at the top of the list.
          if (params.toString() !== '') setParams(new URLSearchParams());
          setReloadKey((k) => k + 1);
        }}
      />
    </>
  );
}
