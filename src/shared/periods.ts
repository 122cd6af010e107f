/** 自查周期: the period of a self-check frequency a Shanghai date falls in — for the server's rounds and the web's week. */
import type { SelfCheckFrequency } from './contracts/checklists';
import { addDays } from './dates';

export interface Period {
  /** Its key: 2026-12-04, W2026-11-30 (the week's Monday), 2026-12, 2026-Q4, 2026-H2. */
  key: string;
  start: string;
  /** The last day of the period: the round is due by its end (24:00 Shanghai). */
  due: string;
}

const lastDayOfMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10); // month 1–12

/** The period of `frequency` a Shanghai date falls in. */
export function periodOf(frequency: SelfCheckFrequency, date: string): Period {
  const [y, m] = date.split('-').map(Number);
  switch (frequency) {
    case 'shift':
    case 'daily':
      return { key: date, start: date, due: date };
    case 'weekly': {
      const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
      const start = addDays(date, -weekday);
      return { key: `W${start}`, start, due: addDays(start, 6) };
    }
    case 'monthly':
      return { key: date.slice(0, 7), start: `${date.slice(0, 7)}-01`, due: lastDayOfMonth(y, m) };
    case 'quarterly': {
      const q = Math.floor((m - 1) / 3);
      return { key: `${y}-Q${q + 1}`, start: `${y}-${String(q * 3 + 1).padStart(2, '0')}-01`, due: lastDayOfMonth(y, q * 3 + 3) };
    }
    case 'half_yearly': {
      const h = m <= 6 ? 0 : 1;
      return { key: `${y}-H${h + 1}`, start: `${y}-${h ? '07' : '01'}-01`, due: lastDayOfMonth(y, h ? 12 : 6) };
    }
  }
}
