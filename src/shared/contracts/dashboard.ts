/**
 * 驾驶舱 The cockpit's answers, and the ledger filter behind each figure — one definition, used by
 * the server (tests compare each figure with the ledger's total for its filter) and by the web
 * (each figure links to the ledger with that filter).
 */
import { z } from 'zod';
import { HAZARD_GRADES, HAZARD_SOURCES, OPEN_STATUSES } from './hazards';

const int = z.number().int();
const rate = z.number().nullable().describe('0–1, null when there is nothing to divide by');

export const DashboardTotals = z.object({
  open: int.describe('open hazards: reported, rectifying or pending acceptance'),
  openMajor: int,
  overdue: int.describe('open hazards whose deadline (24:00 Shanghai) has passed'),
  overdueMajor: int,
  closedThisMonth: int,
  foundThisMonth: int.describe('hazards found this month (Shanghai), voided ones excepted'),
});
export type DashboardTotals = z.infer<typeof DashboardTotals>;

export const Breakdown = z.object({ code: z.string(), name: z.string(), open: int, openMajor: int, overdue: int, overdueMajor: int });
export type Breakdown = z.infer<typeof Breakdown>;

export const STOCK_GROUPS = ['to2023', 'y2024_2025', 'from2026'] as const;
export type StockGroup = (typeof STOCK_GROUPS)[number];
export const STOCK_LABELS: Record<StockGroup, { zh: string; en: string; target: string | null }> = {
  to2023: { zh: '2023年及以前存量', en: 'Found in 2023 or before', target: '2024-12-31' },
  y2024_2025: { zh: '2024—2025年发现', en: 'Found in 2024–2025', target: null },
  from2026: { zh: '2026年以来新增', en: 'Found since 2026', target: null },
};
export const stockGroupOf = (year: number): StockGroup => (year <= 2023 ? 'to2023' : year <= 2025 ? 'y2024_2025' : 'from2026');

const Series = z.array(int);

/** 企业自查 this month: rounds due in the month (by due date), as the round list filtered to the month totals them. */
export const SelfCheckMonth = z.object({
  month: z.string(),
  from: z.string(),
  to: z.string(),
  enterprises: int.describe('enterprises with a self-check schedule'),
  rounds: int,
  onTime: int,
  late: int,
  overdue: int,
  pending: int,
  withFindings: int,
  hazards: int.describe('hazards found by the month’s self-checks'),
});
export type SelfCheckMonth = z.infer<typeof SelfCheckMonth>;
export const DashboardView = z.object({
  level: z.enum(['city', 'district', 'street', 'department']),
  name: z.string(),
  asOf: z.string().describe('ISO time the figures were computed'),
  today: z.string().describe('Shanghai date'),
  month: z.string().describe('YYYY-MM, Shanghai'),
  /** The filters that select this view's hazards on the ledger. */
  base: z.object({ districtCode: z.string().optional(), streetCode: z.string().optional(), departmentId: z.string().optional() }),
  totals: DashboardTotals,
  lastMonth: z.object({ open: int, openMajor: int }).describe('open at the end of last month, as the ledger now knows it: found by then and not closed by then (the 区情月报 definition)'),
  rates: z.object({
    closureRate: rate.describe('closed / (open + closed), all time'),
    overdueRate: rate.describe('overdue / open'),
    fixedOnSpotShare: rate.describe('fixed on the spot / closed, this year'),
    medianDaysToClose: z.number().nullable().describe('whole days from finding to closure, closures of the last 12 months; null where not kept'),
  }),
  supervision: z.object({ city: z.object({ open: int, overdue: int }), district: z.object({ open: int, overdue: int }) }),
  stock: z.object({ months: z.array(z.string()), groups: z.array(z.object({ key: z.enum(STOCK_GROUPS), open: int, series: Series })) }),
  trend: z.object({ months: z.array(z.string()), found: Series, closed: Series }),
  byGrade: z.array(z.object({ key: z.enum(HAZARD_GRADES), open: int, found: Series, closed: Series })),
  bySource: z.array(z.object({ key: z.enum(HAZARD_SOURCES), open: int, found: Series })).nullable(),
  bySection: z.array(z.object({ key: z.string(), name: z.string(), open: int, openMajor: int, found: Series })).nullable(),
  byDistrict: z.array(Breakdown).optional(),
  byStreet: z.array(Breakdown).optional(),
  worstEnterprises: z.array(z.object({ id: z.string(), name: z.string(), open: int, openMajor: int, overdue: int })).optional(),
  selfChecks: SelfCheckMonth,
});
export type DashboardView = z.infer<typeof DashboardView>;

export const EnterpriseDashboard = z.object({
  enterprise: z.object({ id: z.string(), name: z.string(), districtCode: z.string(), districtName: z.string().nullable() }),
  asOf: z.string(),
  today: z.string(),
  totals: z.object({ open: int, openMajor: int, overdue: int, dueSoon: int.describe('open, deadline within 7 days'), closed: int, found: int }),
  upcoming: z.array(
    z.object({ id: z.string(), code: z.string(), description: z.string(), grade: z.enum(HAZARD_GRADES), status: z.string(), deadline: z.string().nullable(), overdue: z.boolean() }),
  ),
  history: z.object({ months: z.array(z.string()), found: Series, closed: Series }),
  selfChecks: SelfCheckMonth,
});
export type EnterpriseDashboard = z.infer<typeof EnterpriseDashboard>;

/** Figures that link to the ledger. */
export type Figure = keyof DashboardTotals | 'supervisedCity' | 'supervisedDistrict' | 'supervisedCityOverdue' | 'supervisedDistrictOverdue' | 'onSpotThisYear' | StockGroup;

const OPEN = OPEN_STATUSES.join(',');
const NOT_VOIDED = 'reported,rectifying,pending_acceptance,closed';

function lastDayOfMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** The ledger query (as URL parameters) whose total is the figure. `month` is YYYY-MM (Shanghai). */
export function figureFilter(figure: Figure, base: DashboardView['base'] & { enterpriseId?: string }, month: string): Record<string, string> {
  const q: Record<string, string> = Object.fromEntries(Object.entries(base).filter(([, v]) => v !== undefined)) as Record<string, string>;
  const from = `${month}-01`;
  const to = lastDayOfMonth(month);
  switch (figure) {
    case 'open':
      return { ...q, status: OPEN };
    case 'openMajor':
      return { ...q, status: OPEN, grade: 'major' };
    case 'overdue':
      return { ...q, overdue: 'true' };
    case 'overdueMajor':
      return { ...q, overdue: 'true', grade: 'major' };
    case 'closedThisMonth':
      return { ...q, status: 'closed', closedFrom: from, closedTo: to };
    case 'foundThisMonth':
      return { ...q, status: NOT_VOIDED, foundFrom: from, foundTo: to };
    case 'supervisedCity':
      return { ...q, status: OPEN, supervisionLevel: 'city' };
    case 'supervisedDistrict':
      return { ...q, status: OPEN, supervisionLevel: 'district' };
    case 'supervisedCityOverdue':
      return { ...q, overdue: 'true', supervisionLevel: 'city' };
    case 'supervisedDistrictOverdue':
      return { ...q, overdue: 'true', supervisionLevel: 'district' };
    case 'onSpotThisYear':
      return { ...q, status: 'closed', onSpot: 'true', closedFrom: `${month.slice(0, 4)}-01-01`, closedTo: to };
    case 'to2023':
      return { ...q, status: OPEN, foundTo: '2023-12-31' };
    case 'y2024_2025':
      return { ...q, status: OPEN, foundFrom: '2024-01-01', foundTo: '2025-12-31' };
    case 'from2026':
      return { ...q, status: OPEN, foundFrom: '2026-01-01' };
  }
}
