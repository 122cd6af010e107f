import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Empty, Input, Space, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';
import type { Clause, StandardDetail } from '../../../shared/contracts/standards';
import { api } from '../../api';
import { BlockLoading, ErrorState } from '../../components/Feedback';
import { Highlight } from '../../components/Highlight';
import { PageHeader } from '../../components/PageHeader';
import { SourceLink } from '../../components/SourceLink';
import { useAsync } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { useSession } from '../../session';
import { ClauseModal } from './ClauseModal';
import { StandardTags } from './StandardTags';

function matches(c: Clause, q: string): boolean {
  const needle = q.toLowerCase();
  return [c.no, c.text, c.category ?? ''].some((s) => s.toLowerCase().includes(needle));
}

export function ClauseView({ clause, query, onEdit }: { clause: Clause; query?: string; onEdit?: () => void }) {
  const t = useT();
  const edit = onEdit && (
    <Button type="text" size="small" icon={<EditOutlined />} onClick={onEdit} aria-label={t('std.editClause')} title={t('std.editClause')} />
  );
  if (clause.isLeadIn) {
    return (
      <div className="zb-clause zb-clause-lead" id={`clause-${clause.id}`} data-testid="clause">
        <Typography.Title level={5} style={{ margin: 0 }}>
          <span className="zb-clause-no">{clause.no}</span> <Highlight text={clause.text} query={query} />
          {edit}
        </Typography.Title>
        {clause.source && <SourceLink source={clause.source} label={t('common.source')} />}
      </div>
    );
  }
  return (
    <div className="zb-clause" id={`clause-${clause.id}`} data-testid="clause">
      <div className="zb-clause-head">
        <Tag color="geekblue" className="zb-clause-no">
          <Highlight text={clause.no} query={query} />
        </Tag>
        {clause.category && (
          <Tag>
            <Highlight text={clause.category} query={query} />
          </Tag>
        )}
        {edit}
      </div>
      <div className="zb-clause-text">
        <Highlight text={clause.text} query={query} />
      </div>
      {clause.source && (
        <div>
          <SourceLink source={clause.source} label={t('common.source')} />
        </div>
      )}
    </div>
  );
}

export default function StandardDetailPage() {
  const { id = '' } = useParams();
  const t = useT();
  const { lang } = useLang();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const std = useAsync((signal) => api.get<StandardDetail>(`/api/standards/${encodeURIComponent(id)}`, undefined, signal), [id]);
  const [editing, setEditing] = useState<Clause | 'new' | null>(null);
  const s = std.data;
  const editable = can('standards.edit');

  const clauses = useMemo(() => {
    const all = [...(s?.clauses ?? [])].sort((a, b) => a.sort - b.sort);
    return q.trim() ? all.filter((c) => matches(c, q.trim())) : all;
  }, [s, q]);

  if (std.error && !std.loading) {
    return (
      <div className="zb-page">
        <PageHeader title={t('std.title')} backTo="/standards" />
        <Card className="zb-card">
          <ErrorState error={std.error} onRetry={std.reload} />
        </Card>
      </div>
    );
  }
  if (!s) {
    return (
      <div className="zb-page">
        <PageHeader title={t('std.title')} backTo="/standards" />
        <Card className="zb-card">
          <BlockLoading />
        </Card>
      </div>
    );
  }

  return (
    <div className="zb-page" data-testid="standard-detail">
      <PageHeader
        title={s.title}
        backTo="/standards"
        tags={<StandardTags s={s} />}
        extra={
          editable && (
            <Button icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="clause-add">
              {t('std.addClause')}
            </Button>
          )
        }
      />
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        {!s.clausesComplete && (
          <Alert
            type="warning"
            showIcon
            title={t('std.incomplete')}
            description={pick(lang, s.completeness)}
          />
        )}
        <Card className="zb-card" size="small">
          <Descriptions
            size="small"
            bordered
            column={{ xs: 1, sm: 1, md: 2, xl: 2, xxl: 3 }}
            styles={{ label: { whiteSpace: 'nowrap' } }}
            items={[
              { key: 'doc', label: t('std.docNo'), children: s.docNo ?? '—' },
              { key: 'issuer', label: t('std.issuer'), children: s.issuer ?? '—' },
              { key: 'pub', label: t('std.published'), children: s.published ?? '—' },
              { key: 'eff', label: t('std.effective'), children: s.effective ?? '—' },
              { key: 'src', label: t('std.sourceLink'), children: s.source ? <SourceLink source={s.source} label={t('std.sourceLink')} /> : '—' },
              ...(s.scope ? [{ key: 'scope', label: t('std.scope'), children: s.scope, span: 'filled' as const }] : []),
            ]}
          />
        </Card>
        <Card
          className="zb-card"
          size="small"
          title={t('std.clausesHeld', { count: s.clauses.length })}
          extra={
            <Input.Search
              allowClear
              defaultValue={q}
              placeholder={t('std.filterClauses')}
              onChange={(e) => {
                const next = new URLSearchParams(params);
                if (e.target.value) next.set('q', e.target.value);
                else next.delete('q');
                setParams(next, { replace: true });
              }}
              style={{ width: 'min(280px, 60vw)' }}
              data-testid="clause-filter"
            />
          }
        >
          {q && <Typography.Text type="secondary">{t('std.matchCount', { count: clauses.length })}</Typography.Text>}
          {clauses.length === 0 ? (
            <Empty description={q ? t('common.emptyFiltered') : t('std.noClauses')} />
          ) : (
            <div className="zb-clauses">
              {clauses.map((c) => (
                <ClauseView key={c.id} clause={c} query={q} onEdit={editable ? () => setEditing(c) : undefined} />
              ))}
            </div>
          )}
        </Card>
      </Space>
      {editable && (
        <ClauseModal
          standardId={s.id}
          clause={editing === 'new' ? undefined : (editing ?? undefined)}
          open={editing !== null}
          nextSort={s.clauses.reduce((m, c) => Math.max(m, c.sort), 0) + 10}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            std.reload();
          }}
        />
      )}
    </div>
  );
}
