/**
 * The building blocks every input contract is made of: a text, an id, a date, a number, a range.
 * Each one refuses at the edge what no database column should ever see, the same way on SQLite
 * and PostgreSQL: control characters, broken UTF-16, impossible dates, numbers no column holds.
 * (A test walks the OpenAPI document and fails on any input string built without them.)
 */
import { z } from 'zod';

/**
 * Text as people write it: anything but the C0 control characters (tab, line feed and carriage
 * return are allowed) and UTF-16 halves without their pair. PostgreSQL refuses NUL in text and
 * would store a lone surrogate as U+FFFD; SQLite would keep both — so neither ever gets in.
 */
export const SAFE_TEXT = /^(?:[^\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;
export const UNSAFE_TEXT = { zh: '含有不允许的控制字符或无效字符', en: 'contains a control character or an invalid character' };

export function isSafeText(s: string): boolean {
  return SAFE_TEXT.test(s);
}

/** Free text, trimmed: at most `max` characters, at least `min` when given. */
export function Text(max: number, opts: { min?: number; minMessage?: string; trim?: boolean } = {}) {
  let s = z.string();
  if (opts.trim !== false) s = s.trim();
  s = s.regex(SAFE_TEXT, UNSAFE_TEXT.zh);
  if (opts.min) s = s.min(opts.min, opts.minMessage ?? (opts.min === 1 ? '不能为空' : `至少 ${opts.min} 个字`));
  return s.max(max, `最多 ${max} 个字`);
}

/** A search box's text (`q`). */
export const SearchText = Text(100);

/** Ids the application makes: UUIDv7 text, lower case. Anything else cannot name a row. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const Id = z.string().regex(UUID, '编号格式不正确');
/** Ids of reference data shipped with the product (a judgement standard: `gongmao-2023`). */
export const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/, '编号格式不正确');

/** Codes of the region tree: a district (6 digits), a street (9 digits). */
export const DistrictCode = z.string().regex(/^\d{6}$/, '区代码应为6位数字');
export const StreetCode = z.string().regex(/^\d{9}$/, '街道代码应为9位数字');
/** A GB/T 4754 section letter or two-digit division. */
export const IndustryCode = z.string().regex(/^(\d{2}|[A-T])$/, '行业代码应为门类字母或两位大类代码');

/** The widest dates the ledger accepts: from the founding of the People's Republic to 2100. */
export const DATE_MIN = '1949-01-01';
export const DATE_MAX = '2100-12-31';

/** A calendar date `YYYY-MM-DD` that exists (no 2026-02-30), between `min` and `max`. */
export function IsoDate(min = DATE_MIN, max = DATE_MAX) {
  return z.iso
    .date({ message: '日期应为 YYYY-MM-DD 格式的有效日期' })
    .refine((d) => d >= min && d <= max, `日期应在 ${min} 至 ${max} 之间`);
}

/** An ISO-8601 instant with its offset, on a date that exists, between `min` and `max`. */
export function IsoDateTime(min = DATE_MIN, max = DATE_MAX) {
  const lo = Date.parse(`${min}T00:00:00+08:00`);
  const hi = Date.parse(`${max}T24:00:00+08:00`);
  return z.iso
    .datetime({ offset: true, message: '时间格式应为 ISO 8601（如 2026-05-31T09:30:00+08:00）' })
    .refine((s) => {
      const t = Date.parse(s);
      return t >= lo && t < hi;
    }, `时间应在 ${min} 至 ${max} 之间`);
}

/** A month `YYYY-MM` within the same bounds. */
export function IsoMonth(min = DATE_MIN.slice(0, 7), max = DATE_MAX.slice(0, 7)) {
  return z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM')
    .refine((m) => m >= min && m <= max, `月份应在 ${min} 至 ${max} 之间`);
}

/**
 * Date-range filters (`foundFrom`…`foundTo`): each end a real date; a start after its end is refused,
 * naming the end, rather than answering an empty list nobody understands.
 */
export function checkRanges(pairs: readonly (readonly [string, string])[]) {
  return (v: Record<string, unknown>, ctx: z.RefinementCtx) => {
    for (const [from, to] of pairs) {
      const a = v[from];
      const b = v[to];
      if (typeof a === 'string' && typeof b === 'string' && Date.parse(a) > Date.parse(b)) {
        ctx.addIssue({ code: 'custom', path: [to], message: `结束日期不能早于开始日期（${from}）` });
      }
    }
  };
}

/** Largest value of a 32-bit integer column (PostgreSQL `integer`): counts, versions, sort keys. */
export const INT32_MAX = 2_147_483_647;

/** A whole number in a body, bounded so every column can hold it. */
export function Int(min = 0, max = INT32_MAX) {
  return z.number().int('应为整数').min(min, `不能小于 ${min}`).max(max, `不能大于 ${max}`);
}

/** A whole number in a query string. */
export function QueryInt(min = 0, max = INT32_MAX) {
  return z.coerce.number().int('应为整数').min(min, `不能小于 ${min}`).max(max, `不能大于 ${max}`);
}

/** The optimistic-lock version every step sends back. */
export const Version = Int(1);

/** Paging as every list takes it. */
export const Paging = {
  page: QueryInt(1, 100_000).default(1),
  pageSize: QueryInt(1, 200).default(20),
};

/** A list of ids (attachments, clauses), at most `max`. */
export const IdList = (max: number) => z.array(Id).max(max, `最多 ${max} 项`);

/** A Boolean filter in a query string. */
export const QueryFlag = z.enum(['true', 'false']).transform((v) => v === 'true');
