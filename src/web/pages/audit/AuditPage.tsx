import { DatePicker, Input, Tag, Tooltip } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useMemo } from 'react';
import type { AuditRecord } from '../../../shared/contracts/audit';
import { FilterItem, ListPage } from '../../components/ListPage';
import type { FilterCodec } from '../../components/ListPage';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';
import { AuditDiff } from './AuditDiff';

const TEXT_KEYS = ['actor', 'action', 'entityType', 'entityId'];
const FILTER_KEYS = [...TEXT_KEYS, 'from', 'to'];

// The range picker holds local days; the API and the URL hold the UTC instants that bound them.
const codec: FilterCodec = {
  toForm: (p) => ({
    ...Object.fromEntries(TEXT_KEYS.map((k) => [k, p[k]])),
    range: p.from || p.to ? [p.from ? dayjs(p.from) : null, p.to ? dayjs(p.to) : null] : undefined,
  }),
  toParams: (v) => {
    const out: Record<string, string> = {};
    for (const k of TEXT_KEYS) {
      const s = typeof v[k] === 'string' ? (v[k] as string).trim() : '';
      if (s) out[k] = s;
    }
    const range = v.range as [Dayjs | null, Dayjs | null] | undefined;
    if (range?.[0]) out.from = range[0].startOf('day').toISOString();
    if (range?.[1]) out.to = range[1].endOf('day').toISOString();
    return out;
  },
};

function head(s: string | null, n: number) {
  if (!s) return '—';
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

// Time-ordered ids (UUIDv7) share their first characters; the end tells them apart.
function tail(s: string | null, n: number) {
  if (!s) return '—';
  return s.length > n ? `…${s.slice(-n)}` : s;
}

export default function AuditPage() {
  const t = useT();

  const columns = useMemo<TableColumnsType<AuditRecord>>(
    () => [
      { key: 'seq', title: t('audit.seq'), dataIndex: 'seq', width: 70 },
      { key: 'at', title: t('audit.at'), dataIndex: 'at', render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(v)}</span> },
      { key: 'actor', title: t('audit.actor'), dataIndex: 'actorName', render: (v: string | null) => v ?? <Tag>{t('audit.system')}</Tag> },
      { key: 'action', title: t('audit.action'), dataIndex: 'action', render: (v: string) => <Tag color="blue" className="zb-mono">{v}</Tag> },
      {
        key: 'entity',
        title: t('audit.entity'),
        render: (_: unknown, r) => (
          <span>
            {r.entityType}
            {r.entityId && (
              <Tooltip title={r.entityId}>
                <span className="zb-mono zb-muted"> {tail(r.entityId, 8)}</span>
              </Tooltip>
            )}
          </span>
        ),
      },
      {
        key: 'request',
        title: t('audit.requestId'),
        dataIndex: 'requestId',
        render: (v: string | null) => (
          <Tooltip title={v}>
            <span className="zb-mono">{tail(v, 8)}</span>
          </Tooltip>
        ),
      },
      { key: 'ip', title: t('audit.ip'), dataIndex: 'ip', render: (v: string | null) => <span className="zb-mono">{v ?? '—'}</span> },
      {
        key: 'hash',
        title: t('audit.hash'),
        dataIndex: 'hash',
        render: (v: string) => (
          <Tooltip title={<span className="zb-mono" style={{ wordBreak: 'break-all' }}>{v}</span>}>
            <span className="zb-mono zb-muted">{head(v, 10)}</span>
          </Tooltip>
        ),
      },
    ],
    [t],
  );

  return (
    <ListPage<AuditRecord>
      title={t('audit.title')}
      endpoint="/api/audit"
      columns={columns}
      rowKey="id"
      filterKeys={FILTER_KEYS}
      textKeys={TEXT_KEYS}
      codec={codec}
      defaultPageSize={50}
      testId="audit-table"
      expandable={{
        expandedRowRender: (r) => <AuditDiff before={r.before} after={r.after} />,
        rowExpandable: (r) => r.before !== null || r.after !== null,
      }}
      filters={() => (
        <>
          <FilterItem name="actor" label={t('audit.actor')}>
            <Input allowClear placeholder={t('audit.actorPlaceholder')} />
          </FilterItem>
          <FilterItem name="action" label={t('audit.action')}>
            <Input allowClear placeholder="enterprise.create" />
          </FilterItem>
          <FilterItem name="entityType" label={t('audit.entityType')}>
            <Input allowClear placeholder="enterprise" />
          </FilterItem>
          <FilterItem name="entityId" label={t('audit.entityId')}>
            <Input allowClear />
          </FilterItem>
          <FilterItem name="range" label={t('audit.range')} wide>
            <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} />
          </FilterItem>
        </>
      )}
    />
  );
}
