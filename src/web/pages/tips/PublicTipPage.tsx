import { Card } from 'antd';
import { useT } from '../../i18n';

/** 安全生产举报, without signing in (placeholder). */
export default function PublicTipPage() {
  const t = useT();
  return <Card title={t('tip.pub.title')} />;
}
