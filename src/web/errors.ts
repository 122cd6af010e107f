import type { FormInstance } from 'antd';
import { ApiError } from './api';
import type { Lang, Translate } from './i18n';

/** The message to show for any failure: the server's own words when it sent a problem. */
export function problemText(err: unknown, lang: Lang, t: Translate): string {
  if (err instanceof ApiError) {
    if (err.problem) return (lang === 'en' && err.problem.detailEn) || err.problem.detail;
    if (err.status === 0) return t('common.networkError');
    if (err.status === 403) return t('common.forbidden');
    if (err.status === 404) return t('common.notFound');
    if (err.status >= 500) return t('common.serverError');
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

function fieldPath(path: string): string[] {
  return path.replace(/^(body|query|params)[./]/, '').split(/[./]/).filter(Boolean);
}

/**
 * Puts a server's validation answer on the form: errors[].path onto the named fields, and
 * codes known to concern one field (INVALID_USCC → uscc) onto that field.
 * Returns the message that fits no field, for a form-level alert, or null.
 */
export function applyProblemToForm(
  form: FormInstance,
  err: unknown,
  lang: Lang,
  t: Translate,
  codeFields: Record<string, string> = {},
  /** server paths that the form shows under another field name (e.g. regionCode → streetCode) */
  pathAlias: Record<string, string> = {},
): string | null {
  if (!(err instanceof ApiError) || !err.problem) return problemText(err, lang, t);
  const { problem } = err;
  // getFieldsValue() with no argument names every mounted field, set or not.
  const known = new Set(Object.keys(form.getFieldsValue() as object));
  const registered = (name: string[]) => name.length > 0 && known.has(name[0]);
  const byField = new Map<string, { name: string[]; errors: string[] }>();
  const leftovers: string[] = [];
  for (const e of problem.errors ?? []) {
    const raw = fieldPath(e.path);
    const name = raw.length === 1 && pathAlias[raw[0]] ? [pathAlias[raw[0]]] : raw;
    if (registered(name)) {
      const key = name.join('.');
      const entry = byField.get(key) ?? { name, errors: [] };
      entry.errors.push(e.message);
      byField.set(key, entry);
    } else {
      leftovers.push(e.path ? `${e.path}: ${e.message}` : e.message);
    }
  }
  const detail = problemText(err, lang, t);
  const codeField = codeFields[problem.code];
  if (codeField && !byField.has(codeField)) byField.set(codeField, { name: [codeField], errors: [detail] });
  if (byField.size > 0) {
    form.setFields([...byField.values()].map(({ name, errors }) => ({ name, errors })));
    void form.scrollToField([...byField.values()][0].name, { block: 'center' });
  }
  if (codeField) return leftovers.length ? leftovers.join('；') : null;
  if (byField.size > 0 && leftovers.length === 0) return null;
  return [detail, ...leftovers].join('；');
}
