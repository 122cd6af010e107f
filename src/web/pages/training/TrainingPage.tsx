import { Tabs } from 'antd';
import { useUrlParams } from '../../hooks';
import { useT } from '../../i18n';
import { PageHeader } from '../../components/PageHeader';
import { CoursesView } from './CoursesView';
import { CoverageView } from './CoverageView';
import { HoursView } from './HoursView';

const TABS = ['courses', 'coverage', 'hours'] as const;
type Tab = (typeof TABS)[number];

/** 安全教育培训: the courses, the year's focus populations' coverage, people short of the required hours. */
export default function TrainingPage() {
  const t = useT();
  const { params, setParams } = useUrlParams();
  const asked = params.get('tab') as Tab | null;
  const tab: Tab = asked && TABS.includes(asked) ? asked : 'courses';
  return (
    <div className="zb-page">
      <PageHeader title={t('train.title')} />
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams(k === 'courses' ? {} : { tab: k })}
        items={TABS.map((k) => ({ key: k, label: <span data-testid={`training-tab-${k}`}>{t(`train.tab.${k}`)}</span> }))}
        destroyOnHidden
      />
      {tab === 'coverage' ? <CoverageView /> : tab === 'hours' ? <HoursView /> : <CoursesView />}
    </div>
  );
}
