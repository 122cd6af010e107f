/** A view of the enforcement page reads its filters from the URL and changes them there. */
export interface ViewProps {
  params: URLSearchParams;
  set: (patch: Record<string, string | null>) => void;
}

/** The address of the enforcement page's view with these filters (a figure's list, a case). */
export function enforcementHref(view: string, filters: Record<string, string | undefined | null> = {}): string {
  const q = new URLSearchParams({ view });
  for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
  return `/enforcement?${q}`;
}

type Where = { from: string; to: string; districtCode?: string | null };

/**
 * The list each count of the bulletin totals: the quarter's finished inspections (by group, the
 * unannounced ones, those with findings), the hazards they found (major, closed), the cases filed in
 * it, the decisions and fines made in it, and the year's key units (covered in the quarter).
 */
export function bulletinLinks(w: Where) {
  const districtCode = w.districtCode ?? undefined;
  const base = { status: 'finished', from: w.from, to: w.to, districtCode };
  const found = { from: w.from, to: w.to, districtCode };
  const decided = { decidedFrom: w.from, decidedTo: w.to, districtCode };
  const keys = { year: w.from.slice(0, 4), from: w.from, to: w.to, districtCode };
  return {
    inspections: enforcementHref('inspections', base),
    planned: enforcementHref('inspections', { ...base, typeGroup: 'planned' }),
    triggered: enforcementHref('inspections', { ...base, typeGroup: 'triggered' }),
    unannounced: enforcementHref('inspections', { ...base, unannounced: 'true' }),
    withFindings: enforcementHref('inspections', { ...base, withFindings: 'any' }),
    withMajor: enforcementHref('inspections', { ...base, withFindings: 'major' }),
    hazards: enforcementHref('findings', found),
    majorHazards: enforcementHref('findings', { ...found, grade: 'major' }),
    findingsClosed: enforcementHref('findings', { ...found, state: 'closed' }),
    cases: enforcementHref('cases', { from: w.from, to: w.to, districtCode }),
    decisions: enforcementHref('cases', decided),
    fines: enforcementHref('cases', { ...decided, decision: 'fine' }),
    keyUnits: enforcementHref('keyUnits', keys),
    keyUnitsCovered: enforcementHref('keyUnits', { ...keys, covered: 'true' }),
  };
}
