import { Card, Empty, Input, Select, Space, Spin, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router-dom';
import type { Clause, StandardSummary } from '../../../shared/contracts/standards';
import { api, itemsOf } from '../../api';
import { ErrorState } from '../../components/Feedback';
import { PageHeader } from '../../components/PageHeader';
import { useAsync } from '../../hooks';
import { useT } from '../../i18n';
import { ClauseView } from './StandardDetailPage';

type ClauseHit = Clause & { standardTitle: string };
type Listish<T> = T[] | { items: T[] };

/** Search the clause text of every standard, e.g. to find which clause a hazard meets. */
export default function ClauseSearchPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const q = params.get('q')?.trim() ?? '';
  const standardId = params.get('standardId') ?? undefined;

  const standards = useAsync(async (signal) => itemsOf(await api.get<Listish<StandardSummary>>('/api/standards', undefined, signal)), []);
  const hits = useAsync(
    async (signal) => (q ? itemsOf(await api.get<Listish<ClauseHit>>('/api/standards/clauses', { q, standardId }, signal)) : []),
    [q, standardId],
  );

  const set = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };

  return (
    <div className="zb-page">
      <PageHeader title={q ? t('std.searchResults', { q }) : t('std.globalSearch')} backTo="/standards" />
      <Card className="zb-card">
        <Space wrap style={{ marginBottom: 16, width: '100%' }}>
          <Input.Search
            key={q}
            defaultValue={q}
            placeholder={t('std.searchHint')}
            allowClear
            enterButton
            onSearch={(v) => set('q', v.trim())}
            style={{ width: 'min(420px, 85vw)' }}
            data-testid="clause-search"
          />
          <Select
            allowClear
            placeholder={t('nav.standards')}
            value={standardId}
            onChange={(v: string | undefined) => set('standardId', v)}
            options={(standards.data ?? []).map((s) => ({ value: s.id, label: s.title }))}
            style={{ width: 'min(360px, 85vw)' }}
            popupMatchSelectWidth={false}
          />
        </Space>
        {hits.error && !hits.loading ? (
          <ErrorState error={hits.error} onRetry={hits.reload} />
        ) : !q ? (
          <Empty description={t('std.searchHint')} />
        ) : (
          <Spin spinning={hits.loading}>
            {hits.data && hits.data.length === 0 ? (
              <Empty description={t('common.emptyFiltered')} />
            ) : (
              <div data-testid="clause-results">
                {hits.data && <Typography.Text type="secondary">{t('std.matchCount', { count: hits.data.length })}</Typography.Text>}
                {(hits.data ?? []).map((c) => (
                  <div key={c.id} className="zb-hit">
                    <Link to={`/standards/${encodeURIComponent(c.standardId)}?q=${encodeURIComponent(q)}`} className="zb-hit-title">
                      {c.standardTitle}
                    </Link>
                    <ClauseView clause={c} query={q} />
                  </div>
                ))}
              </div>
            )}
          </Spin>
        )}
      </Card>
    </div>
  );
}
