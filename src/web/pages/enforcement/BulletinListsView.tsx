import { Button, Flex, Segmented, Tabs } from 'antd';
import type { TableColumnsType } from 'antd';
import { Link } from 'react-router-dom';
import { FINDING_STATES } from '../../../shared/contracts/enforcement';
import type { Finding, KeyUnit } from '../../../shared/contracts/enforcement';
import type { HazardStatus } from '../../../shared/contracts/hazards';
import { api } from '../../api';
import type { ListResult } from '../../api';
import { Clip } from '../../components/Clip';
import { TableCard } from '../../components/TableCard';
import { formatDate } from '../../format';
import { fetchDistricts, useAsync, useIsPhone } from '../../hooks';
import { useT } from '../../i18n';
import { GradeTag, StatusTag } from '../hazards/HazardTags';
import { currentQuarter } from './access';
import { enforcementHref, type ViewProps } from './viewParams';

/** `2026-10-01` → `2026Q4`: the bulletin a list was opened from. */
const quarterOfDay = (d: string | null) => (d ? `${d.slice(0, 4)}Q${Math.floor((Number(d.slice(5, 7)) - 1) / 3) + 1}` : currentQuarter());

/** The window and district a bulletin list shows, and the way back to its bulletin. */
function useWindow(params: URLSearchParams) {
  const t = useT();
  const from = params.get('from');
  const to = params.get('to');
  const districtCode = params.get('districtCode');
  const districts = useAsync(() => fetchDistricts(), []);
  const district = districtCode ? (districts.data?.find((d) => d.code === districtCode)?.name ?? districtCode) : null;
  const title = [from && to ? `${formatDate(from)} — ${formatDate(to)}` : null, district].filter(Boolean).join(' · ');
  const back = (
    <Link to={enforcementHref('bulletin', { quarter: quarterOfDay(from), districtCode })} data-testid="enf-back-bulletin">
      {t('enf.backToBulletin')}
    </Link>
  );
  return { from, to, districtCode, title, back };
}

const FINDING_FILTERS = ['from', 'to', 'districtCode', 'grade', 'state'] as const;

/** 检查发现的隐患: the hazards the bulletin's finished inspections found, each opening on the ledger. */
export function FindingsView({ params, set }: ViewProps) {
  const t = useT();
  const phone = useIsPhone();
  const w = useWindow(params);
  const page = Number(params.get('page') ?? 1);
  const filters = Object.fromEntries(FINDING_FILTERS.map((k) => [k, params.get(k) ?? undefined]));
  const list = useAsync((signal) => api.get<ListResult<Finding>>('/api/enforcement/findings', { ...filters, page, pageSize: 20 }, signal), [JSON.stringify([filters, page])]);
  const columns: TableColumnsType<Finding> = [
    { key: 'code', title: t('enf.find.code'), render: (_, f) => <Link to={`/hazards/${f.hazardId}`} data-testid="enf-finding-open">{f.code}</Link> },
    { key: 'enterprise', title: t('enf.col.enterprise'), dataIndex: 'enterpriseName' },
    { key: 'description', title: t('enf.find.description'), render: (_, f) => <Clip text={f.description} /> },
    { key: 'grade', title: t('enf.find.grade'), render: (_, f) => <GradeTag value={f.grade} /> },
    { key: 'status', title: t('enf.col.status'), render: (_, f) => <StatusTag value={f.status as HazardStatus} /> },
    { key: 'inspection', title: t('enf.find.inspection'), render: (_, f) => <Link to={`/enforcement/inspections/${f.inspectionId}`}>{`${formatDate(f.inspectionDate)} · ${f.inspectionCode}`}</Link> },
  ];
  return (
    <TableCard<Finding>
      title={`${t('enf.find.title')}${w.title ? ` · ${w.title}` : ''}`}
      extra={w.back}
      before={
        <Flex gap={8} wrap align="center" justify="space-between">
          <Tabs
            activeKey={params.get('state') ?? ''}
            onChange={(k) => set({ state: k || null, page: null })}
            items={['', ...FINDING_STATES].map((s) => ({ key: s, label: s ? t(`enf.find.state.${s as (typeof FINDING_STATES)[number]}`) : t('enf.all') }))}
          />
          <Segmented
            value={params.get('grade') ?? ''}
            onChange={(v) => set({ grade: v || null, page: null })}
            options={[
              { value: '', label: t('enf.all') },
              { value: 'major', label: t('enf.bul.major') },
            ]}
            data-testid="enf-finding-grade"
          />
        </Flex>
      }
      list={list}
      rowKey="hazardId"
      columns={phone ? columns.filter((c) => ['code', 'enterprise', 'status'].includes(String(c.key))) : columns}
      empty={t('enf.find.none')}
      testId="enf-finding-table"
      paging={{ page, onChange: (p) => set({ page: p > 1 ? String(p) : null }) }}
    />
  );
}

const KEY_FILTERS = ['year', 'from', 'to', 'districtCode', 'covered'] as const;

/** 重点检查单位: a year's key units, each with its latest finished inspection in the bulletin's quarter. */
export function KeyUnitsView({ params, set }: ViewProps) {
  const t = useT();
  const w = useWindow(params);
  const page = Number(params.get('page') ?? 1);
  const year = params.get('year') ?? currentQuarter().slice(0, 4);
  const filters = { ...Object.fromEntries(KEY_FILTERS.map((k) => [k, params.get(k) ?? undefined])), year };
  const list = useAsync((signal) => api.get<ListResult<KeyUnit>>('/api/enforcement/key-units', { ...filters, page, pageSize: 20 }, signal), [JSON.stringify([filters, page])]);
  const columns: TableColumnsType<KeyUnit> = [
    { key: 'enterprise', title: t('enf.col.enterprise'), render: (_, k) => <Link to={`/enterprises/${k.enterpriseId}`}>{k.enterpriseName}</Link> },
    { key: 'uscc', title: t('enf.key.uscc'), dataIndex: 'creditCode' },
    { key: 'last', title: t('enf.key.last'), render: (_, k) => (k.lastInspection ? formatDate(k.lastInspection) : <span className="zb-muted">{t('enf.key.notYet')}</span>) },
  ];
  return (
    <TableCard<KeyUnit>
      title={`${t('enf.key.yearTitle', { year })}${w.title ? ` · ${w.title}` : ''}`}
      extra={
        <Flex gap={12} align="center">
          {w.back}
          {params.get('covered') && (
            <Button size="small" onClick={() => set({ covered: null, page: null })}>
              {t('enf.clearFilters')}
            </Button>
          )}
        </Flex>
      }
      before={
        <Tabs
          activeKey={params.get('covered') ?? ''}
          onChange={(k) => set({ covered: k || null, page: null })}
          items={[
            { key: '', label: t('enf.all') },
            { key: 'true', label: t('enf.key.covered') },
            { key: 'false', label: t('enf.key.uncovered') },
          ]}
        />
      }
      list={list}
      rowKey="enterpriseId"
      columns={columns}
      empty={t('enf.key.none')}
      testId="enf-key-table"
      paging={{ page, onChange: (p) => set({ page: p > 1 ? String(p) : null }) }}
    />
  );
}
