import { Card, Space, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { CERTIFICATE_KIND_LABELS } from '../../../shared/contracts/certificates';
import type { Certificate } from '../../../shared/contracts/certificates';
import { api } from '../../api';
import { FactList } from '../../components/FactList';
import { ErrorState, PageLoading } from '../../components/Feedback';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../format';
import { useAsync } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { HazardLinks } from './HazardLinks';
import { CertificateStateTag } from './tags';

/** A certificate: its holder (ID number masked), kind, validity and state, and the hazard its lapse put on the ledger. */
export default function CertificatePage() {
  const { id = '' } = useParams<{ id: string }>();
  const t = useT();
  const { lang } = useLang();
  const cert = useAsync((signal) => api.get<Certificate>(`/api/certificates/${encodeURIComponent(id)}`, undefined, signal), [id]);
  if (cert.error && !cert.loading) return <ErrorState error={cert.error} onRetry={cert.reload} />;
  const c = cert.data;
  if (!c) return <PageLoading />;
  return (
    <div className="zb-page" data-testid="certificate-detail">
      <PageHeader
        title={`${c.holderName} · ${c.operationName ?? t(`cert.kindShort.${c.kind}`)}`}
        subTitle={<span className="zb-mono">{c.number}</span>}
        tags={
          <Space size={4}>
            <CertificateStateTag c={c} />
            {c.renewed && <Tag color="blue">{t('cert.renewed')}</Tag>}
          </Space>
        }
        backTo="/certificates"
      />
      <Card size="small" className="zb-card">
        <FactList
          labelWidth={130}
          items={[
            { key: 'enterprise', label: t('cert.col.enterprise'), children: <Link to={`/enterprises/${encodeURIComponent(c.enterpriseId)}`}>{c.enterpriseName}</Link> },
            { key: 'holder', label: t('cert.f.holder'), children: c.holderName },
            { key: 'id', label: t('cert.f.idNumber'), children: <span className="zb-mono">{c.idNumberMasked}</span> },
            { key: 'kind', label: t('cert.f.kind'), children: pick(lang, CERTIFICATE_KIND_LABELS[c.kind]) },
            ...(c.operationName ? [{ key: 'operation', label: t('cert.f.operation'), children: c.operationName }] : []),
            { key: 'number', label: t('cert.f.number'), children: <span className="zb-mono">{c.number}</span> },
            { key: 'issuer', label: t('cert.f.issuer'), children: c.issuer },
            {
              key: 'valid',
              label: t('cert.col.valid'),
              children: (
                <Space size={8} wrap>
                  {`${c.validFrom} — ${c.validTo}`}
                  <Typography.Text type="secondary">{c.daysLeft >= 0 ? t('cert.daysLeft', { n: c.daysLeft }) : t('cert.daysAgo', { n: -c.daysLeft })}</Typography.Text>
                </Space>
              ),
            },
            { key: 'lapse', label: t('cert.col.lapse'), children: c.lapseHazardId ? <HazardLinks ids={[c.lapseHazardId]} testId="certificate-lapse-link" /> : '—' },
            { key: 'created', label: t('cert.createdAt'), children: formatDateTime(c.createdAt) },
          ]}
        />
      </Card>
    </div>
  );
}
