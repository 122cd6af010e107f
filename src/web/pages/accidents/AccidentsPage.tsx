import { PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, DatePicker, Flex, Input, Segmented, Select, Space, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { ACCIDENT_CATEGORIES, ACCIDENT_GRADES, ACCIDENT_GRADE_LABELS } from '../../../shared/contracts/accidents';
import type { Accident } from '../../../shared/contracts/accidents';
import { Clip } from '../../components/Clip';
import { EnterpriseSelect } from '../../components/EnterpriseSelect';
import { FilterItem, ListPage } from '../../components/ListPage';
import type { FilterCodec, UrlParams } from '../../components/ListPage';
import { DistrictSelect } from '../../components/RegionSelects';
import { formatDateTime, scopeOf } from '../../format';
import { useDistricts, useIsPhone, useUrlParams } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { useMe } from '../../session';
import { recordsAccidents } from './access';
import { RegisterAccidentDrawer } from './RegisterAccident';
import { AccidentGradeTag, casualtyText, InvestigationTag, ReportFlags, yuanText } from './tags';
import { TrendsView } from './TrendsView';

const PLAIN_KEYS = ['q', 'districtCode', 'grade', 'category', 'reportedLate', 'concealed', 'enterpriseId'];
const FILTER_KEYS = [...PLAIN_KEYS, 'from', 'to'];
const DAY = 'YYYY-MM-DD';

// The URL and the API hold Shanghai days (from, to); the form holds one range picker.
const codec: FilterCodec = {
  toForm: (p) => ({
    ...Object.fromEntries(PLAIN_KEYS.map((k) => [k, p[k]])),
    range: p.from || p.to ? [p.from ? dayjs(p.from) : null, p.to ? dayjs(p.to) : null] : undefined,
  }),
  toParams: (v) => {
    const out: UrlParams = {};
    for (const k of PLAIN_KEYS) {
      const s = typeof v[k] === 'string' ? (v[k] as string).trim() : '';
      if (s) out[k] = s;
    }
    const range = v.range as [Dayjs | null, Dayjs | null] | undefined;
    if (range?.[0]) out.from = range[0].format(DAY);
    if (range?.[1]) out.to = range[1].format(DAY);
    return out;
  },
};

/** 事故: the registry (its filters in the address, so a figure elsewhere can open the same list) and the trends against last year. */
export default function AccidentsPage() {
  const t = useT();
  const { params, setParams } = useUrlParams();
  const view = params.get('view') === 'trends' ? 'trends' : 'list';
  return (
    <div className="zb-page">
      <Segmented
        value={view}
        onChange={(v) => setParams(v === 'trends' ? new URLSearchParams({ view: 'trends' }) : new URLSearchParams())}
        options={[
          { value: 'list', label: <span data-testid="acc-view-list">{t('acc.view.list')}</span> },
          { value: 'trends', label: <span data-testid="acc-view-trends">{t('acc.view.trends')}</span> },
        ]}
        style={{ marginBottom: 12 }}
      />
      {view === 'trends' ? <TrendsView /> : <AccidentList />}
    </div>
  );
}

function AccidentList() {
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const phone = useIsPhone();
  const navigate = useNavigate();
  const districts = useDistricts();
  const [registering, setRegistering] = useState(false);
  const cityWide = scopeOf(me.regionCode).level === 'city';
  const districtName = useMemo(() => new Map((districts.data ?? []).map((d) => [d.code, d.name])), [districts.data]);
  const columns = useMemo<TableColumnsType<Accident>>(
    () => [
      {
        key: 'code',
        title: t('acc.col.code'),
        render: (_, r) => (
          <Flex vertical>
            <Link to={`/accidents/${r.id}`} className="zb-nowrap">
              {r.code}
            </Link>
            {phone && <Typography.Text type="secondary">{formatDateTime(r.occurredAt)}</Typography.Text>}
          </Flex>
        ),
      },
      { key: 'occurredAt', title: t('acc.col.occurredAt'), render: (_, r) => <span className="zb-nowrap">{formatDateTime(r.occurredAt)}</span> },
      {
        key: 'where',
        title: t('acc.col.where'),
        render: (_, r) => {
          const district = districtName.get(r.districtCode) ?? r.districtCode;
          const where = r.enterpriseName ?? r.place;
          return (
            <Flex vertical>
              <Clip text={where} />
              {where !== district && <Typography.Text type="secondary">{district}</Typography.Text>}
            </Flex>
          );
        },
      },
      { key: 'category', title: t('acc.col.category'), dataIndex: 'category' },
      { key: 'casualties', title: t('acc.col.casualties'), render: (_, r) => <span className="zb-nowrap">{casualtyText(t, r)}</span> },
      { key: 'loss', title: t('acc.col.loss'), align: 'right', render: (_, r) => <span className="zb-nowrap">{yuanText(t, lang, r.directLossYuan)}</span> },
      {
        key: 'grade',
        title: t('acc.col.grade'),
        render: (_, r) => (
          <Space size={4}>
            <AccidentGradeTag grade={r.grade} />
            <ReportFlags accident={r} />
          </Space>
        ),
      },
      { key: 'investigation', title: t('acc.col.investigation'), render: (_, r) => <InvestigationTag value={r.investigation} /> },
    ],
    [t, lang, districtName, phone],
  );
  const yesNo = [
    { value: 'true', label: t('acc.yes') },
    { value: 'false', label: t('acc.no') },
  ];
  return (
    <>
      <ListPage<Accident>
        title={t('acc.title')}
        endpoint="/api/accidents"
        columns={phone ? columns.filter((c) => ['code', 'grade'].includes(String(c.key))) : columns}
        rowKey="id"
        filterKeys={FILTER_KEYS}
        textKeys={['q']}
        codec={codec}
        testId="acc-table"
        onRowClick={(r) => navigate(`/accidents/${r.id}`)}
        pinnedFilters={['districtCode', 'grade', 'range']}
        extra={
          recordsAccidents(me) && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setRegistering(true)} data-testid="acc-register">
              {t('acc.register')}
            </Button>
          )
        }
        filters={() => (
          <>
            <FilterItem name="q" label={t('common.search')} wide primary>
              <Input prefix={<SearchOutlined />} placeholder={t('acc.searchPh')} allowClear data-testid="acc-search" />
            </FilterItem>
            {cityWide && (
              <FilterItem name="districtCode" label={t('acc.col.district')}>
                <DistrictSelect placeholder={t('common.all')} data-testid="acc-filter-district" />
              </FilterItem>
            )}
            <FilterItem name="grade" label={t('acc.col.grade')}>
              <Select allowClear placeholder={t('common.all')} options={ACCIDENT_GRADES.map((g) => ({ value: g, label: pick(lang, ACCIDENT_GRADE_LABELS[g]) }))} data-testid="acc-filter-grade" />
            </FilterItem>
            <FilterItem name="range" label={t('acc.filter.range')} wide>
              <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} inputReadOnly={phone} data-testid="acc-filter-range" />
            </FilterItem>
            <FilterItem name="category" label={t('acc.col.category')}>
              <Select allowClear showSearch placeholder={t('common.all')} options={ACCIDENT_CATEGORIES.map((c) => ({ value: c, label: c }))} />
            </FilterItem>
            <FilterItem name="reportedLate" label={t('acc.late')}>
              <Select allowClear placeholder={t('common.all')} options={yesNo} data-testid="acc-filter-late" />
            </FilterItem>
            <FilterItem name="concealed" label={t('acc.filter.concealed')}>
              <Select allowClear placeholder={t('common.all')} options={yesNo} data-testid="acc-filter-concealed" />
            </FilterItem>
            <FilterItem name="enterpriseId" label={t('acc.enterprise')} wide>
              <EnterpriseSelect placeholder={t('common.all')} />
            </FilterItem>
          </>
        )}
      />
      <RegisterAccidentDrawer open={registering} onClose={() => setRegistering(false)} onSaved={(id) => navigate(`/accidents/${id}`)} />
    </>
  );
}
