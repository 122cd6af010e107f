import dayjs from 'dayjs';
import type { RiskClass } from '../shared/roles';
import type { Lang } from './i18n';

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—';
}

export function formatDate(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('YYYY-MM-DD') : '—';
}

// The plan's four-colour risk scale: red, orange, yellow, blue.
export const RISK_COLORS: Record<RiskClass, string> = {
  major: 'red',
  high: 'orange',
  general: 'gold',
  low: 'blue',
};

export type ScopeLevel = 'city' | 'district' | 'street';

/** What a user's region code pins down: the whole city, one district, or one street. */
export function scopeOf(regionCode: string): { level: ScopeLevel; districtCode?: string; streetCode?: string } {
  if (/^\d{9}$/.test(regionCode)) return { level: 'street', districtCode: regionCode.slice(0, 6), streetCode: regionCode };
  if (/^\d{6}$/.test(regionCode) && !regionCode.endsWith('0000')) return { level: 'district', districtCode: regionCode };
  return { level: 'city' };
}

export function isHttpUrl(s: string | null | undefined): s is string {
  return !!s && /^https?:\/\//i.test(s);
}

/** A trimmed text, or null for an empty or blank one (optional form fields). */
export function blankToNull(s: string | undefined | null): string | null {
  return s && s.trim() ? s.trim() : null;
}

/** Money: integer fen (分) from the server shown in yuan (元). */
export function formatYuan(fen: number, lang: 'zh' | 'en'): string {
  const yuan = (fen / 100).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', { minimumFractionDigits: 0, maximumFractionDigits: 2 });
  return lang === 'zh' ? `${yuan} 元` : `¥${yuan}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** A count as a reader expects it: in Chinese 万 from ten thousand (12.3万), in English with thousands separators. */
export function formatCount(n: number, lang: Lang): string {
  if (lang === 'en') return n.toLocaleString('en-US');
  if (Math.abs(n) < 10_000) return String(n);
  return `${(n / 10_000).toFixed(1).replace(/\.0$/, '')}万`;
}

/** A change, signed: +12, −3 (a real minus sign), 0. */
export function formatDelta(n: number, lang: Lang): string {
  return n > 0 ? `+${formatCount(n, lang)}` : n < 0 ? `−${formatCount(-n, lang)}` : '0';
}

/** A 0–1 rate as a percentage with one decimal. */
export function formatPercent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}
