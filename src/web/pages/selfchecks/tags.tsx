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
