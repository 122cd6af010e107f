import { Segmented } from 'antd';

import { PageHeader } from '../../components/PageHeader';
import { useUrlParams } from '../../hooks';
import { useT } from '../../i18n';
import { useMe } from '../../session';
import { FindingsView, KeyUnitsView } from './BulletinListsView';
import { BulletinView } from './BulletinView';
import { CasesView } from './CasesView';
import { DrawsView } from './DrawsView';
import { InspectionsView } from './InspectionsView';
import { MatrixView } from './MatrixView';
import { PlansView } from './PlansView';

type TabView = 'inspections' | 'draws' | 'plans' | 'cases' | 'bulletin' | 'matrix';
type View = TabView | 'findings' | 'keyUnits';
const OFFICE_VIEWS: View[] = ['inspections', 'draws', 'plans', 'cases', 'bulletin', 'matrix', 'findings', 'keyUnits'];
/** Lists a bulletin's figures open: reached from the bulletin, shown under its tab. */
const BULLETIN_LISTS: View[] = ['findings', 'keyUnits'];
// An enterprise reads the inspections of itself and the cases against it.
const ENTERPRISE_VIEWS: View[] = ['inspections', 'cases'];

/** 执法检查: inspections, 双随机 draws, annual plans, cases, the quarterly bulletin and the frequency matrix, one view at a time. */
export default function EnforcementPage() {
  const t = useT();
  const me = useMe();
  const { params, set, setParams } = useUrlParams();
  const views = me.role === 'enterprise' ? ENTERPRISE_VIEWS : OFFICE_VIEWS;
  const asked = params.get('view') as View | null;
  const view = asked && views.includes(asked) ? asked : 'inspections';
  const props = { params, set };
  return (
    <div className="zb-page">
      <PageHeader title={t('enf.title')} />
      <div className="zb-enf-views">
        <Segmented<View>
          value={BULLETIN_LISTS.includes(view) ? 'bulletin' : view}
          // Another view starts from its own defaults: no filter of this one carries over.
          onChange={(v) => setParams(v === 'inspections' ? {} : { view: v }, { replace: true })}
          options={views.filter((v): v is TabView => !BULLETIN_LISTS.includes(v)).map((v) => ({ value: v, label: t(`enf.view.${v}`) }))}
          data-testid="enf-view"
        />
      </div>
      {view === 'draws' ? (
        <DrawsView {...props} />
      ) : view === 'plans' ? (
        <PlansView {...props} />
      ) : view === 'cases' ? (
        <CasesView {...props} />
      ) : view === 'bulletin' ? (
        <BulletinView {...props} />
      ) : view === 'findings' ? (
        <FindingsView {...props} />
      ) : view === 'keyUnits' ? (
        <KeyUnitsView {...props} />
      ) : view === 'matrix' ? (
        <MatrixView {...props} />
      ) : (
        <InspectionsView {...props} />
      )}
    </div>
  );
}
