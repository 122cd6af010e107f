import { PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Input, Select, Space, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import type { z } from 'zod';
import { CERTIFICATE_KIND_LABELS, CERTIFICATE_KINDS } from '../../../shared/contracts/certificates';
import type { Certificate, Operations } from '../../../shared/contracts/certificates';
import { api } from '../../api';
import { EnterpriseSelect } from '../../components/EnterpriseSelect';
import { FilterItem, ListPage } from '../../components/ListPage';
import type { FilterCodec, UrlParams } from '../../components/ListPage';
import { DistrictSelect } from '../../components/RegionSelects';
import { scopeOf } from '../../format';
import { useAsync, useIsPhone } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { useMe } from '../../session';
import { recordsCertificates } from './access';
import { HazardLinks } from './HazardLinks';
import { RecordCertificateDrawer } from './RecordCertificate';
import type { Recorded } from './RecordCertificate';
import { CertificateStateTag } from './tags';

/** The warning window the list's 即将到期 filter asks for (the server's own state uses its rule). */
const EXPIRING_DAYS = '60';
const PLAIN_KEYS = ['q', 'kind', 'operation', 'districtCode', 'enterpriseId'];
const FILTER_KEYS = [...PLAIN_KEYS, 'expiring', 'expired'];

// The form holds one 状态 choice; the address and the API hold `expiring=60` or `expired=true`.
const codec: FilterCodec = {
  toForm: (p) => ({ ...Object.fromEntries(PLAIN_KEYS.map((k) => [k, p[k]])), state: p.expiring ? 'expiring' : p.expired === 'true' ? 'expired' : undefined }),
  toParams: (v) => {
    const out: UrlParams = {};
    for (const k of PLAIN_KEYS) {
      const s = typeof v[k] === 'string' ? (v[k] as string).trim() : '';
      if (s) out[k] = s;
    }
    if (v.state === 'expiring') out.expiring = EXPIRING_DAYS;
    if (v.state === 'expired') out.expired = 'true';
    return out;
  },
};

/** 持证上岗: the certificates in scope, soonest expiry first, ID numbers masked; the enterprise and its offices record new ones. */
export default function CertificatesPage() {
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const phone = useIsPhone();
  const navigate = useNavigate();
  const [recording, setRecording] = useState(false);
  const [recorded, setRecorded] = useState<Recorded | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const office = me.role !== 'enterprise';
  const cityWide = scopeOf(me.regionCode).level === 'city';
  const operations = useAsync((signal) => api.get<z.infer<typeof Operations>>('/api/certificates/operations', undefined, signal), []);
  const columns = useMemo<TableColumnsType<Certificate>>(
    () => [
      {
        key: 'holder',
        title: t('cert.col.holder'),
        render: (_, c) => (
          <Flex vertical>
            <Link to={`/certificates/${c.id}`} data-testid="certificate-link">
              {c.holderName}
            </Link>
            <Typography.Text type="secondary" className="zb-mono" data-testid="certificate-id-masked">
              {c.idNumberMasked}
            </Typography.Text>
          </Flex>
        ),
      },
      ...(office ? [{ key: 'enterprise', title: t('cert.col.enterprise'), render: (_: unknown, c: Certificate) => <Link to={`/enterprises/${encodeURIComponent(c.enterpriseId)}`}>{c.enterpriseName}</Link> }] : []),
      {
        key: 'kind',
        title: t('cert.col.kind'),
        render: (_, c) => (
          <Flex vertical>
            <span title={pick(lang, CERTIFICATE_KIND_LABELS[c.kind])}>{t(`cert.kindShort.${c.kind}`)}</span>
            {c.operationName && <Typography.Text type="secondary">{c.operationName}</Typography.Text>}
          </Flex>
        ),
      },
      { key: 'number', title: t('cert.col.number'), render: (_, c) => <span className="zb-mono zb-nowrap">{c.number}</span> },
      { key: 'valid', title: t('cert.col.valid'), render: (_, c) => <span className="zb-nowrap">{`${c.validFrom} — ${c.validTo}`}</span> },
      {
        key: 'state',
        title: t('cert.col.state'),
        render: (_, c) => (
          <Space size={4} wrap>
            <CertificateStateTag c={c} />
            {c.renewed && <Tag color="blue">{t('cert.renewed')}</Tag>}
          </Space>
        ),
      },
      {
        key: 'lapse',
        title: t('cert.col.lapse'),
        render: (_, c) =>
          c.lapseHazardId ? (
            <Link to={`/hazards/${encodeURIComponent(c.lapseHazardId)}`} data-testid="certificate-lapse-link">
              {t('cert.lapseOpen')}
            </Link>
          ) : (
            <span className="zb-muted">—</span>
          ),
      },
    ],
    [t, lang, office],
  );
  return (
    <>
      <ListPage<Certificate>
        title={t('cert.title')}
        endpoint="/api/certificates"
        columns={phone ? columns.filter((c) => ['holder', 'state'].includes(String(c.key))) : columns}
        rowKey="id"
        filterKeys={FILTER_KEYS}
        textKeys={['q']}
        codec={codec}
        testId="certificate-table"
        reloadKey={reloadKey}
        onRowClick={(c) => navigate(`/certificates/${c.id}`)}
        pinnedFilters={['kind', 'state', 'districtCode']}
        extra={
          recordsCertificates(me) && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setRecording(true)} data-testid="cert-record">
              {t('cert.record')}
            </Button>
          )
        }
        beforeTable={recorded && <RecordedResult c={recorded} onClose={() => setRecorded(null)} />}
        filters={() => (
          <>
            <FilterItem name="q" label={t('common.search')} wide primary>
              <Input prefix={<SearchOutlined />} placeholder={t('cert.searchPh')} allowClear data-testid="cert-search" />
            </FilterItem>
            <FilterItem name="kind" label={t('cert.col.kind')}>
              <Select allowClear placeholder={t('common.all')} options={CERTIFICATE_KINDS.map((k) => ({ value: k, label: t(`cert.kindShort.${k}`) }))} data-testid="cert-filter-kind" />
            </FilterItem>
            <FilterItem name="state" label={t('cert.col.state')}>
              <Select
                allowClear
                placeholder={t('common.all')}
                options={[
                  { value: 'expiring', label: t('cert.filter.expiring', { n: EXPIRING_DAYS }) },
                  { value: 'expired', label: t('cert.filter.expired') },
                ]}
                popupMatchSelectWidth={false}
                data-testid="cert-filter-state"
              />
            </FilterItem>
            {office && cityWide && (
              <FilterItem name="districtCode" label={t('ent.district')}>
                <DistrictSelect placeholder={t('common.all')} data-testid="cert-filter-district" />
              </FilterItem>
            )}
            <FilterItem name="operation" label={t('cert.f.operation')}>
              <Select allowClear showSearch={{ optionFilterProp: 'label' }} placeholder={t('common.all')} options={(operations.data?.items ?? []).map((o) => ({ value: o.code, label: o.name }))} popupMatchSelectWidth={false} />
            </FilterItem>
            {office && (
              <FilterItem name="enterpriseId" label={t('cert.col.enterprise')} wide>
                <EnterpriseSelect placeholder={t('common.all')} />
              </FilterItem>
            )}
          </>
        )}
      />
      {recording && (
        <RecordCertificateDrawer
          onClose={() => setRecording(false)}
          onSaved={(c) => {
            setRecording(false);
            setRecorded(c);
            setReloadKey((k) => k + 1);
          }}
        />
      )}
    </>
  );
}

/** What recording did: the certificate, and plainly, a hazard its lapse put on the ledger or one it closed. */
function RecordedResult({ c, onClose }: { c: Recorded; onClose: () => void }) {
  const t = useT();
  const opened = c.hazardsOpened.length > 0;
  return (
    <Alert
      type={opened ? 'warning' : 'success'}
      showIcon
      closable={{ onClose }}
      style={{ marginBottom: 12 }}
      data-testid="certificate-result"
      title={t('cert.recorded', { holder: c.holderName, number: c.number })}
      description={
        (opened || c.hazardsClosed.length > 0) && (
          <Flex vertical gap={6}>
            {opened && (
              <div>
                <Typography.Text strong>{t('cert.hazardsOpened', { n: c.hazardsOpened.length })}</Typography.Text>
                <HazardLinks ids={c.hazardsOpened} testId="certificate-hazard-link" />
              </div>
            )}
            {c.hazardsClosed.length > 0 && (
              <div>
                <Typography.Text strong>{t('cert.hazardsClosed', { n: c.hazardsClosed.length })}</Typography.Text>
                <HazardLinks ids={c.hazardsClosed} testId="certificate-closed-link" />
              </div>
            )}
          </Flex>
        )
      }
    />
  );
}
