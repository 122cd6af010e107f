import { Tag } from 'antd';
import type { Round } from '../../../shared/contracts/checklists';
import { useT } from '../../i18n';

const COLORS: Record<Round['status'], string> = { due: 'blue', overdue: 'red', done: 'green' };

export function RoundStatusTag({ status }: { status: Round['status'] }) {
  const t = useT();
  return (
    <Tag color={COLORS[status]} data-testid="round-status">
      {t(`sc.status.${status}`)}
    </Tag>
  );
}

const CN = ['一', '二', '三', '四'];

/** A period key as people read it: 2026年12月, 2026年第四季度, 2026年下半年, the week from its Monday, or the day. */
export function periodText(key: string, lang: 'zh' | 'en'): string {
  let m: RegExpMatchArray | null;
  if ((m = key.match(/^W(\d{4}-\d{2}-\d{2})$/))) return lang === 'zh' ? `${m[1]} 起一周` : `week of ${m[1]}`;
  if ((m = key.match(/^(\d{4})-Q([1-4])$/))) return lang === 'zh' ? `${m[1]}年第${CN[Number(m[2]) - 1]}季度` : `${m[1]} Q${m[2]}`;
  if ((m = key.match(/^(\d{4})-H([12])$/))) return lang === 'zh' ? `${m[1]}年${m[2] === '1' ? '上' : '下'}半年` : `${m[1]} H${m[2]}`;
  if ((m = key.match(/^(\d{4})-(\d{2})$/))) return lang === 'zh' ? `${m[1]}年${Number(m[2])}月` : key;
  return key;
}
