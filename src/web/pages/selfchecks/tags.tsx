import { Radio, Tag, Typography } from 'antd';
import type { Round } from '../../../shared/contracts/checklists';
import { useIsPhone } from '../../hooks';
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

export type ItemResult = 'ok' | 'na' | 'hazard';

/** A checklist item as it is read out: its number, its words, the clause it cites. */
export function ItemText({ seq, text, clauseNo }: { seq: number; text: string; clauseNo: string | null }) {
  const t = useT();
  return (
    <Typography.Paragraph style={{ marginBottom: 8 }}>
      <Typography.Text strong>{seq}. </Typography.Text>
      {text}
      {clauseNo && (
        <Tag style={{ marginLeft: 8 }} color="geekblue">
          {t('sc.clause', { no: clauseNo })}
        </Tag>
      )}
    </Typography.Paragraph>
  );
}

/**
 * The three answers to an item, side by side (on a phone sharing the width). Radio buttons, not a
 * segmented control: nothing is chosen until the user chooses.
 */
export function ResultChoice({ value, onChange, 'data-testid': testId }: { value: ItemResult | undefined; onChange: (r: ItemResult) => void; 'data-testid'?: string }) {
  const t = useT();
  const phone = useIsPhone();
  return (
    <Radio.Group
      optionType="button"
      buttonStyle="solid"
      className={phone ? 'zb-round-choice zb-round-choice-block' : 'zb-round-choice'}
      value={value}
      onChange={(e) => onChange(e.target.value as ItemResult)}
      options={[
        { value: 'ok', label: t('sc.result.ok') },
        { value: 'na', label: t('sc.result.na') },
        { value: 'hazard', label: t('sc.result.hazard') },
      ]}
      data-testid={testId}
    />
  );
}
