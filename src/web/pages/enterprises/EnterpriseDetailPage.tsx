import { AlertOutlined, EditOutlined } from '@ant-design/icons';
import { Button, Tag } from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import type { Enterprise } from '../../../shared/contracts/enterprises';
import { STANDARDIZATION_LABELS } from '../../../shared/roles';
import { api } from '../../api';
import { DetailPage } from '../../components/DetailPage';
import type { DetailSection } from '../../components/DetailPage';
import { RiskTag } from '../../components/Tags';
import { formatDateTime } from '../../format';
import { useAsync } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { useMe } from '../../session';
import { hasCertificates } from '../certificates/access';
import { EnterpriseCompliance } from '../certificates/EnterpriseCompliance';
import { tagsKinds } from '../training/access';
import { EnterpriseKinds } from '../training/EnterpriseKinds';
import { canReport } from '../hazards/access';
import { EnterpriseHazards } from '../hazards/EnterpriseHazards';
import { EnterpriseFormDrawer } from './EnterpriseForm';

const dash = (v: string | number | null | undefined) => (v === null || v === undefined || v === '' ? '—' : v);

export default function EnterpriseDetailPage() {
  const { id = '' } = useParams();
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const ent = useAsync((signal) => api.get<Enterprise>(`/api/enterprises/${encodeURIComponent(id)}`, undefined, signal), [id]);
  const e = ent.data;

  const sections: DetailSection[] = e
    ? [
        {
          key: 'basic',
          title: t('ent.basic'),
          items: [
            { key: 'uscc', label: t('ent.uscc'), children: <span className="zb-mono" data-testid="enterprise-uscc">{e.uscc}</span> },
            { key: 'industry', label: t('ent.industry'), children: `${e.industryCode} ${e.industryName ?? ''}` },
            { key: 'risk', label: t('ent.riskClass'), children: <RiskTag value={e.riskClass} /> },
            { key: 'district', label: t('ent.district'), children: dash(e.districtName) },
            { key: 'street', label: t('ent.street'), children: dash(e.streetName) },
            { key: 'std', label: t('ent.standardization'), children: pick(lang, STANDARDIZATION_LABELS[e.standardizationLevel]) },
            { key: 'address', label: t('ent.address'), children: e.address, span: 'filled' },
          ],
        },
        {
          key: 'contacts',
          title: t('ent.contacts'),
          items: [
            { key: 'pn', label: t('ent.principalName'), children: e.principalName },
            { key: 'pp', label: t('ent.principalPhone'), children: e.principalPhone ? <a href={`tel:${e.principalPhone}`}>{e.principalPhone}</a> : '—' },
            { key: 'sn', label: t('ent.safetyManagerName'), children: dash(e.safetyManagerName) },
            { key: 'sp', label: t('ent.safetyManagerPhone'), children: e.safetyManagerPhone ? <a href={`tel:${e.safetyManagerPhone}`}>{e.safetyManagerPhone}</a> : '—' },
          ],
        },
        {
          key: 'meta',
          title: t('ent.location'),
          items: [
            { key: 'lng', label: t('ent.lng'), children: dash(e.lng) },
            { key: 'lat', label: t('ent.lat'), children: dash(e.lat) },
            { key: 'created', label: t('ent.createdAt'), children: formatDateTime(e.createdAt) },
            { key: 'updated', label: t('ent.updatedAt'), children: formatDateTime(e.updatedAt) },
            { key: 'version', label: t('ent.version'), children: e.version },
          ],
        },
      ]
    : [];

  return (
    <>
      <DetailPage
        title={e?.name ?? t('ent.title')}
        tags={e && <Tag className="zb-mono">{e.uscc}</Tag>}
        backTo={me.role === 'enterprise' ? '/' : '/enterprises'}
        loading={ent.loading && !e}
        error={ent.error}
        onRetry={ent.reload}
        testId="enterprise-detail"
        actions={
          e && (
            <>
              {canReport(me) && (me.role !== 'enterprise' || me.enterpriseId === e.id) && (
                <Button
                  icon={<AlertOutlined />}
                  onClick={() => navigate(`/hazards/new?enterpriseId=${encodeURIComponent(e.id)}`)}
                  data-testid="enterprise-report-hazard"
                >
                  {t('hz.report')}
                </Button>
              )}
              {e.canEdit && (
                <Button type="primary" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="enterprise-edit">
                  {t('common.edit')}
                </Button>
              )}
            </>
          )
        }
        sections={sections}
      >
        {e && hasCertificates(me) && <EnterpriseKinds enterpriseId={e.id} mayEdit={e.canEdit && tagsKinds(me)} />}
        {e && hasCertificates(me) && <EnterpriseCompliance enterpriseId={e.id} mayDeclare={e.canEdit} />}
        {e && <EnterpriseHazards enterpriseId={e.id} />}
      </DetailPage>
      {e && (
        <EnterpriseFormDrawer
          open={editing}
          enterprise={e}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            ent.reload();
          }}
          onConflict={ent.reload}
        />
      )}
    </>
  );
}
