import { Alert, Card, Col, Empty, Input, Row, Typography } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import type { StandardSummary } from '../../../shared/contracts/standards';
import { api, itemsOf } from '../../api';
import { BlockLoading, ErrorState } from '../../components/Feedback';
import { PageHeader } from '../../components/PageHeader';
import { SourceLink } from '../../components/SourceLink';
import { useAsync } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { StandardTags } from './StandardTags';

export function ClauseSearchBox({ defaultValue }: { defaultValue?: string }) {
  const t = useT();
  const navigate = useNavigate();
  return (
    <Input.Search
      key={defaultValue}
      defaultValue={defaultValue}
      placeholder={t('std.globalSearch')}
      allowClear
      enterButton
      onSearch={(q) => q.trim() && navigate(`/standards/clauses?q=${encodeURIComponent(q.trim())}`)}
      style={{ maxWidth: 420 }}
      data-testid="clause-search"
    />
  );
}

export default function StandardsPage() {
  const t = useT();
  const { lang } = useLang();
  const list = useAsync(async (signal) => itemsOf(await api.get<StandardSummary[] | { items: StandardSummary[] }>('/api/standards', undefined, signal)), []);

  return (
    <div className="zb-page">
      <PageHeader title={t('std.title')} extra={<ClauseSearchBox />} />
      <Alert type="info" showIcon title={t('std.honesty')} style={{ marginBottom: 16 }} />
      {list.error && !list.loading ? (
        <Card className="zb-card">
          <ErrorState error={list.error} onRetry={list.reload} />
        </Card>
      ) : list.loading && !list.data ? (
        <Card className="zb-card">
          <BlockLoading />
        </Card>
      ) : list.data && list.data.length === 0 ? (
        <Card className="zb-card">
          <Empty description={t('common.empty')} />
        </Card>
      ) : (
        <Row gutter={[16, 16]} data-testid="standards-list">
          {(list.data ?? []).map((s) => (
            <Col key={s.id} xs={24} md={12} xxl={8}>
              <Card className="zb-card zb-standard-card" size="small" data-testid="standard-card">
                <Link to={`/standards/${encodeURIComponent(s.id)}`}>
                  <Typography.Title level={5} style={{ marginTop: 0 }}>
                    {s.title}
                  </Typography.Title>
                </Link>
                <StandardTags s={s} />
                <dl className="zb-mini-dl">
                  {s.docNo && (
                    <>
                      <dt>{t('std.docNo')}</dt>
                      <dd>{s.docNo}</dd>
                    </>
                  )}
                  {s.issuer && (
                    <>
                      <dt>{t('std.issuer')}</dt>
                      <dd>{s.issuer}</dd>
                    </>
                  )}
                  {s.effective && (
                    <>
                      <dt>{t('std.effective')}</dt>
                      <dd>{s.effective}</dd>
                    </>
                  )}
                </dl>
                {!s.clausesComplete && (
                  <Typography.Paragraph type="warning" className="zb-missing" data-testid="standard-completeness">
                    {pick(lang, s.completeness)}
                  </Typography.Paragraph>
                )}
                <SourceLink source={s.source} label={t('std.sourceLink')} />
              </Card>
            </Col>
          ))}
        </Row>
      )}
    </div>
  );
}
