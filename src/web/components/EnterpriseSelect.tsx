import { useRef } from 'react';
import type { Enterprise } from '../../shared/contracts/enterprises';
import { api } from '../api';
import type { ListResult } from '../api';
import { useAsync } from '../hooks';
import { RemoteMultiSelect, RemoteSelect } from './RemoteSelect';

const labelOf = (e: Enterprise) => `${e.name}（${e.uscc}）`;

export async function searchEnterprises(q: string, signal: AbortSignal) {
  const list = await api.get<ListResult<Enterprise>>('/api/enterprises', { q: q || undefined, pageSize: 20 }, signal);
  return list.items.map((e) => ({ value: e.id, label: labelOf(e), record: e }));
}

/**
 * Picks an enterprise in the user's scope by name or credit code. A value set from outside
 * (a link, a pre-filled form) is shown by its name, looked up once.
 */
export function EnterpriseSelect({
  id,
  value,
  onChange,
  placeholder,
  'data-testid': testId,
}: {
  id?: string;
  value?: string | null;
  onChange?: (value: string | undefined, record: Enterprise | undefined) => void;
  placeholder?: string;
  'data-testid'?: string;
}) {
  const picked = useRef<string | undefined>(undefined);
  const known = useAsync(
    async (signal) =>
      value && value !== picked.current ? api.get<Enterprise>(`/api/enterprises/${encodeURIComponent(value)}`, undefined, signal).catch(() => null) : null,
    [value],
  );
  return (
    <RemoteSelect<Enterprise>
      id={id}
      value={value}
      onChange={(v, record) => {
        picked.current = v;
        onChange?.(v, record);
      }}
      search={searchEnterprises}
      placeholder={placeholder}
      initialLabel={known.data && known.data.id === value ? labelOf(known.data) : undefined}
      data-testid={testId}
    />
  );
}

/** Several enterprises in the user's scope; `known` names those chosen before (editing a record). */
export function EnterprisesSelect({
  id,
  value,
  onChange,
  known,
  placeholder,
  'data-testid': testId,
}: {
  id?: string;
  value?: string[];
  onChange?: (value: string[]) => void;
  known?: { id: string; name: string }[];
  placeholder?: string;
  'data-testid'?: string;
}) {
  return (
    <RemoteMultiSelect<Enterprise>
      id={id}
      value={value}
      onChange={onChange}
      search={searchEnterprises}
      known={known?.map((e) => ({ value: e.id, label: e.name }))}
      placeholder={placeholder}
      data-testid={testId}
    />
  );
}
