import { Segmented } from 'antd';
import { useUrlParams } from '../../hooks';
import { useT } from '../../i18n';
import { useMe } from '../../session';
import { hasAssessment } from './access';
import { AccountabilityView } from './AccountabilityView';
import { RunsView } from './RunsView';
import { SchemeView } from './SchemeView';
import './assessment.css';

const VIEWS = ['runs', 'scheme', 'accountability'] as const;
type View = (typeof VIEWS)[number];

/** 考核评估: the runs and their results, the year's scheme, the accountability records; an enterprise has only the records against it. */
export default function AssessmentPage() {
  const t = useT();
  const me = useMe();
  const { params, setParams } = useUrlParams();
  const office = hasAssessment(me);
  const asked = params.get('view') as View | null;
  const view: View = !office ? 'accountability' : asked && VIEWS.includes(asked) ? asked : 'runs';
  return (
    <div className="zb-page">
      {office && (
        <Segmented<View>
          value={view}
          onChange={(v) => setParams(v === 'runs' ? new URLSearchParams() : new URLSearchParams({ view: v }))}
          options={VIEWS.map((v) => ({ value: v, label: <span data-testid={`asm-view-${v}`}>{t(`asm.view.${v}`)}</span> }))}
          style={{ marginBottom: 12 }}
        />
      )}
      {view === 'runs' ? <RunsView /> : view === 'scheme' ? <SchemeView /> : <AccountabilityView />}
    </div>
  );
}
