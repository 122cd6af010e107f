import { WarningOutlined } from '@ant-design/icons';
import { Tag, Tooltip } from 'antd';
import type { StandardSummary } from '../../../shared/contracts/standards';
import { pick, useLang, useT } from '../../i18n';

/** In force or not, and how much of the official text the database really holds. */
export function StandardTags({ s }: { s: StandardSummary }) {
  const t = useT();
  const { lang } = useLang();
  return (
    <span className="zb-tags">
      {s.status ? <Tag color="red">{s.status}</Tag> : <Tag color="green">{t('std.inForce')}</Tag>}
      <Tag color={s.clausesComplete ? 'blue' : 'default'} data-testid="clause-count">
        {s.itemCount === null ? t('std.clausesHeld', { count: s.clauseCount }) : t('std.clauses', { count: s.clauseCount, items: s.itemCount })}
      </Tag>
      {!s.clausesComplete && (
        <Tooltip title={pick(lang, s.completeness)}>
          <Tag color="warning" icon={<WarningOutlined />} data-testid="clauses-incomplete">
            {t('std.incomplete')}
          </Tag>
        </Tooltip>
      )}
    </span>
  );
}
