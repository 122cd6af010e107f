import { Result } from 'antd';
import { Navigate } from 'react-router-dom';
import { useT } from '../../i18n';
import { useMe } from '../../session';

/** An enterprise user's menu entry: straight to their own enterprise. */
export default function MyEnterprisePage() {
  const me = useMe();
  const t = useT();
  if (me.enterpriseId) return <Navigate to={`/enterprises/${encodeURIComponent(me.enterpriseId)}`} replace />;
  return <Result status="info" title={t('nav.myEnterprise')} subTitle={t('ent.notLinked')} />;
}
