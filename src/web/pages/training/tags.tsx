import { Tag } from 'antd';
import { COURSE_MODE_LABELS, TRAINEE_ROLE_LABELS } from '../../../shared/contracts/training';
import type { CourseMode, TraineeRole } from '../../../shared/contracts/training';
import { pick, useLang } from '../../i18n';

const MODE_COLORS: Record<CourseMode, string> = { main: 'red', city_branch: 'blue', district_branch: 'cyan', other: 'default' };

export function ModeTag({ mode }: { mode: CourseMode }) {
  const { lang } = useLang();
  return (
    <Tag color={MODE_COLORS[mode]} data-testid="course-mode">
      {pick(lang, COURSE_MODE_LABELS[mode])}
    </Tag>
  );
}

export function RoleText({ role }: { role: TraineeRole }) {
  const { lang } = useLang();
  return <>{pick(lang, TRAINEE_ROLE_LABELS[role])}</>;
}
