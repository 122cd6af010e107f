import { Segmented } from 'antd';
import { useUrlParams } from '../../hooks';
import { useT } from '../../i18n';
import { useMe } from '../../session';
import { seesRounds } from './access';
import { RiskList } from './RiskList';
import { RiskMapView } from './RiskMapView';
import { RoundsView } from './RoundsView';
import { ConsultationsView } from './ConsultationsView';
import './risks.css';

const VIEWS = ['list', 'map', 'rounds', 'consultations'] as const;
type View = (typeof VIEWS)[number];

/** 城市安全风险清单: the register (its filters in the address), the map of its points, the assessment rounds, the consultations. */
export default function RisksPage() {
  const t = useT();
  const me = useMe();
  const { params, setParams } = useUrlParams();
  // Rounds and consultations are the offices' (an enterprise reads only the items concerning it).
  const views = VIEWS.filter((v) => (v !== 'rounds' && v !== 'consultations') || seesRounds(me));
  const asked = params.get('view') as View | null;
  const view: View = asked && views.includes(asked) ? asked : 'list';
  // The district and level chosen carry over between the list and the map; the rest belongs to one view.
  const switchTo = (v: View) => {
    const next = new URLSearchParams();
    if (v !== 'list') next.set('view', v);
    if (v === 'list' || v === 'map') for (const k of ['districtCode', 'level']) if (params.get(k)) next.set(k, params.get(k)!);
    setParams(next);
  };
  return (
    <div className="zb-page">
      <Segmented<View>
        value={view}
        onChange={switchTo}
        options={views.map((v) => ({ value: v, label: <span data-testid={`risk-view-${v}`}>{t(`risk.view.${v}`)}</span> }))}
        style={{ marginBottom: 12 }}
      />
      {view === 'map' ? <RiskMapView /> : view === 'rounds' ? <RoundsView /> : view === 'consultations' ? <ConsultationsView /> : <RiskList />}
    </div>
  );
}
