import { Alert, Card, Table, Typography } from 'antd';
import { useParams } from 'react-router-dom';
import type { z } from 'zod';
import type { PublicDraw } from '../../../shared/contracts/enforcement';
import { api } from '../../api';
import { BlockLoading, ErrorState } from '../../components/Feedback';
import { PublicHeader } from '../../components/PublicHeader';
import { formatDate, formatDateTime } from '../../format';
import { useAsync } from '../../hooks';
import { useT } from '../../i18n';
import { FactList } from '../../components/FactList';

type Published = z.infer<typeof PublicDraw>;

/** 双随机抽查结果公示, without signing in: the enterprises and dates, and what anyone needs to recompute the draw. */
export default function PublicDrawPage() {
  const { id } = useParams<{ id: string }>();
  const t = useT();
  const draw = useAsync((signal) => api.get<Published>(`/api/public/draws/${encodeURIComponent(id ?? '')}`, undefined, signal), [id]);
  const d = draw.data;
  return (
    <div className="zb-public">
      <PublicHeader />
      <main className="zb-public-main">
        <Card className="zb-card" title={d ? d.title : t('enf.pub.title')} data-testid="public-draw">
          {draw.error && !draw.loading ? (
            <ErrorState error={draw.error} onRetry={draw.reload} />
          ) : !d ? (
            <BlockLoading />
          ) : (
            <>
              <Typography.Paragraph type="secondary">{t('enf.pub.intro')}</Typography.Paragraph>
              <FactList
                labelWidth={160}
                items={[
                  { key: 'date', label: t('enf.draw.date'), children: formatDate(d.date) },
                  { key: 'at', label: t('enf.pub.drawnAt'), children: formatDateTime(d.createdAt) },
                  { key: 'pool', label: t('enf.draw.poolSize'), children: <span data-testid="public-draw-pool">{d.poolSize}</span> },
                  { key: 'hash', label: t('enf.draw.poolHash'), children: <Typography.Text code copyable className="zb-break" data-testid="public-draw-hash">{d.poolHash}</Typography.Text> },
                  { key: 'seed', label: t('enf.draw.seed'), children: <Typography.Text code copyable className="zb-break" data-testid="public-draw-seed">{d.seed}</Typography.Text> },
                  { key: 'algorithm', label: t('enf.draw.algorithm'), children: <Typography.Text code>{d.algorithm}</Typography.Text> },
                ]}
                style={{ marginBottom: 16 }}
              />
              <Table
                rowKey={(r) => `${r.name}|${r.date}`}
                size="small"
                columns={[
                  { key: 'k', title: '#', width: 48, render: (_, _r, i) => i + 1 },
                  { key: 'name', title: t('enf.col.enterprise'), dataIndex: 'name' },
                  { key: 'date', title: t('enf.pub.inspectionDate'), width: 110, render: (_, r) => formatDate(r.date) },
                ]}
                dataSource={d.enterprises}
                pagination={d.enterprises.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
                data-testid="public-draw-enterprises"
              />
              <Alert type="info" showIcon style={{ marginTop: 16 }} title={t('enf.pub.verify')} />
            </>
          )}
        </Card>
      </main>
    </div>
  );
}
