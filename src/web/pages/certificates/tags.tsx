import { Tag } from 'antd';
import { CERTIFICATE_STATE_LABELS } from '../../../shared/contracts/certificates';
import type { Certificate, CertificateState } from '../../../shared/contracts/certificates';
import { pick, useLang, useT } from '../../i18n';

const STATE_COLORS: Record<CertificateState, string> = { valid: 'success', expiring: 'warning', expired: 'error', not_yet: 'default' };

/** 有效 / 即将到期 / 已过期 / 未生效, with the days left while it runs out. */
export function CertificateStateTag({ c }: { c: Pick<Certificate, 'state' | 'daysLeft'> }) {
  const t = useT();
  const { lang } = useLang();
  return (
    <Tag color={STATE_COLORS[c.state]} data-testid="certificate-state" data-state={c.state}>
      {pick(lang, CERTIFICATE_STATE_LABELS[c.state])}
      {c.state === 'expiring' && ` · ${t('cert.daysLeft', { n: c.daysLeft })}`}
    </Tag>
  );
}
