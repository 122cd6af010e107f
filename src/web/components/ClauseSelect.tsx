import { api } from '../api';
import { useT } from '../i18n';
import { RemoteSelect } from './RemoteSelect';

type ClauseHit = { id: string; standardTitle: string; no: string; text: string };

/**
 * Picks the judgement-standard clause a major hazard meets, searched as the user types; before
 * anything is typed it offers the clauses nearest to `hint` (the item's or the finding's words).
 */
export function ClauseSelect({ value, onChange, hint, 'data-testid': testId }: { value?: string; onChange: (id: string | undefined) => void; hint: string; 'data-testid'?: string }) {
  const t = useT();
  return (
    <RemoteSelect<ClauseHit>
      value={value}
      onChange={(v) => onChange(v)}
      placeholder={t('sc.clausePh')}
      search={(q, signal) =>
        api
          .get<{ items: ClauseHit[] }>('/api/standards/clauses', { q: q || hint.slice(0, 20) || undefined, citable: 'true', pageSize: 20 }, signal)
          .then((r) => r.items.map((c) => ({ value: c.id, label: `${c.standardTitle} ${c.no} ${c.text}`.slice(0, 120), record: c })))
      }
      data-testid={testId}
    />
  );
}
