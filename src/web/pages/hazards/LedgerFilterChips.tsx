import { Tag } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { GRADE_LABELS, SOURCE_LABELS } from '../../../shared/contracts/hazards';
import type { HazardGrade, HazardSource, SupervisionLevel } from '../../../shared/contracts/hazards';
import type { Enterprise } from '../../../shared/contracts/enterprises';
import { api } from '../../api';
import { useAsync, useDepartments, useDistricts, useIndustries, useStreets } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import type { MessageKey } from '../../i18n';
import { supervisionText } from './HazardTags';

/** The ledger's date ranges: the chip's label and the two URL parameters. */
export const DATE_RANGES = {
  foundRange: { label: 'hz.foundRange', from: 'foundFrom', to: 'foundTo' },
  deadlineRange: { label: 'hz.deadlineRange', from: 'deadlineFrom', to: 'deadlineTo' },
  closedRange: { label: 'hz.closedRange', from: 'closedFrom', to: 'closedTo' },
} as const satisfies Record<string, { label: MessageKey; from: string; to: string }>;

const span = (from: string | null, to: string | null) => (from && to ? `${from} ~ ${to}` : from ? `≥ ${from}` : `≤ ${to}`);

interface Chip {
  /** the URL parameters the chip stands for, all cleared with it */
  keys: string[];
  text: string;
}

/**
 * Every filter on the ledger's URL as a tag that clears it: a link from a cockpit figure says
 * here what it selects, even the filters the collapsed form does not show.
 */
export function LedgerFilterChips() {
  const t = useT();
  const { lang } = useLang();
  const [params, setParams] = useSearchParams();
  const get = (k: string) => params.get(k);
  const districtCode = get('districtCode');
  const streetCode = get('streetCode');
  const enterpriseId = get('enterpriseId');
  const districts = useDistricts();
  const streets = useStreets(streetCode ? (districtCode ?? streetCode.slice(0, 6)) : undefined);
  const industries = useIndustries();
  const departments = useDepartments();
  const enterprise = useAsync(
    async (signal) => (enterpriseId ? api.get<Enterprise>(`/api/enterprises/${encodeURIComponent(enterpriseId)}`, undefined, signal).catch(() => null) : null),
    [enterpriseId],
  );

  const nameIn = (list: { code: string; name: string }[] | undefined, code: string) => list?.find((x) => x.code === code)?.name ?? code;
  const labelled = (label: MessageKey, value: string) => `${t(label)}：${value}`;
  const chips: Chip[] = [];
  // A street belongs to its district: clearing the district clears the street too.
  if (districtCode) chips.push({ keys: ['districtCode', 'streetCode'], text: labelled('ent.district', nameIn(districts.data, districtCode)) });
  if (streetCode) chips.push({ keys: ['streetCode'], text: labelled('ent.street', nameIn(streets.data, streetCode)) });
  if (enterpriseId) chips.push({ keys: ['enterpriseId'], text: labelled('hz.enterprise', enterprise.data?.name ?? enterpriseId) });
  const industry = get('industryCode');
  if (industry) chips.push({ keys: ['industryCode'], text: labelled('hz.industry', `${industry} ${nameIn(industries.data, industry)}`) });
  const departmentId = get('departmentId');
  if (departmentId) {
    const name = departments.data?.find((d) => d.id === departmentId)?.name ?? departmentId;
    chips.push({ keys: ['departmentId'], text: labelled('hz.department', name) });
  }
  const grade = get('grade') as HazardGrade | null;
  if (grade && GRADE_LABELS[grade]) chips.push({ keys: ['grade'], text: labelled('hz.grade', pick(lang, GRADE_LABELS[grade])) });
  const source = get('source') as HazardSource | null;
  if (source && SOURCE_LABELS[source]) chips.push({ keys: ['source'], text: labelled('hz.source', pick(lang, SOURCE_LABELS[source])) });
  const supervision = get('supervisionLevel') as SupervisionLevel | null;
  if (supervision) chips.push({ keys: ['supervisionLevel'], text: labelled('hz.supervision', supervisionText(t, supervision)) });
  if (get('overdue') === 'true') chips.push({ keys: ['overdue'], text: t('hz.overdueOnly') });
  if (get('onSpot') === 'true') chips.push({ keys: ['onSpot'], text: t('hz.onSpotOnly') });
  for (const r of Object.values(DATE_RANGES)) {
    const from = get(r.from);
    const to = get(r.to);
    if (from || to) chips.push({ keys: [r.from, r.to], text: labelled(r.label, span(from, to)) });
  }

  if (!chips.length) return null;
  const clear = (keys: string[]) => {
    const next = new URLSearchParams(params);
    next.delete('page');
    for (const k of keys) next.delete(k);
    setParams(next);
  };
  return (
    <div className="zb-filter-chips" data-testid="filter-chips">
      {chips.map((c) => (
        <Tag
          key={c.keys[0]}
          closable={{ 'aria-label': t('hz.clearFilter', { filter: c.text }) }}
          onClose={(e) => {
            e.preventDefault();
            clear(c.keys);
          }}
          data-testid={`filter-chip-${c.keys[0]}`}
        >
          {c.text}
        </Tag>
      ))}
    </div>
  );
}
