import { Select, Spin } from 'antd';
import { useEffect, useRef, useState } from 'react';

export interface RemoteOption<T> {
  value: string;
  label: string;
  record: T;
}

/** Options asked of the server as the user types (after a pause; a newer question cancels the older). */
export function useRemoteOptions<T>(search: (q: string, signal: AbortSignal) => Promise<RemoteOption<T>[]>) {
  const [q, setQ] = useState('');
  const [options, setOptions] = useState<RemoteOption<T>[]>([]);
  const [loading, setLoading] = useState(false);
  const searchRef = useRef(search);
  searchRef.current = search;

  useEffect(() => {
    const ctrl = new AbortController();
    setLoading(true);
    const timer = setTimeout(() => {
      searchRef.current(q.trim(), ctrl.signal).then(
        (opts) => {
          if (ctrl.signal.aborted) return;
          setOptions(opts);
          setLoading(false);
        },
        () => !ctrl.signal.aborted && setLoading(false),
      );
    }, 300);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [q]);

  return { options, loading, setQ };
}

/** A select whose options come from the server as the user types (enterprises, users…). */
export function RemoteSelect<T>({
  id,
  value,
  onChange,
  search,
  placeholder,
  initialLabel,
  'data-testid': testId,
}: {
  id?: string;
  value?: string | null;
  onChange?: (value: string | undefined, record: T | undefined) => void;
  search: (q: string, signal: AbortSignal) => Promise<RemoteOption<T>[]>;
  placeholder?: string;
  /** label for a value set before any search (editing an existing record) */
  initialLabel?: string;
  'data-testid'?: string;
}) {
  const { options, loading, setQ } = useRemoteOptions(search);

  const shown =
    value && initialLabel && !options.some((o) => o.value === value)
      ? [{ value, label: initialLabel, record: undefined as T | undefined }, ...options]
      : options;

  return (
    <Select
      id={id}
      value={value ?? undefined}
      placeholder={placeholder}
      allowClear
      showSearch={{ filterOption: false, onSearch: setQ }}
      notFoundContent={loading ? <Spin size="small" /> : undefined}
      options={shown.map((o) => ({ value: o.value, label: o.label }))}
      onChange={(v: string | undefined) => onChange?.(v, shown.find((o) => o.value === v)?.record)}
      style={{ width: '100%' }}
      data-testid={testId}
    />
  );
}

/**
 * Several records picked from the server's answers as the user types (the hazards linked to a risk,
 * the enterprises it concerns). `known` names the values chosen before any search.
 */
export function RemoteMultiSelect<T>({
  id,
  value,
  onChange,
  search,
  placeholder,
  known = [],
  'data-testid': testId,
}: {
  id?: string;
  value?: string[];
  onChange?: (value: string[]) => void;
  search: (q: string, signal: AbortSignal) => Promise<RemoteOption<T>[]>;
  placeholder?: string;
  known?: { value: string; label: string }[];
  'data-testid'?: string;
}) {
  const { options, loading, setQ } = useRemoteOptions(search);
  // Labels of every value seen, so a chosen one keeps its name when the next search leaves it out.
  const labels = useRef(new Map<string, string>());
  for (const o of [...known, ...options]) labels.current.set(o.value, o.label);
  const chosen = (value ?? []).filter((v) => !options.some((o) => o.value === v)).map((v) => ({ value: v, label: labels.current.get(v) ?? v }));
  return (
    <Select
      id={id}
      mode="multiple"
      value={value ?? []}
      placeholder={placeholder}
      showSearch={{ filterOption: false, onSearch: setQ }}
      notFoundContent={loading ? <Spin size="small" /> : undefined}
      options={[...chosen, ...options.map((o) => ({ value: o.value, label: o.label }))]}
      onChange={(v: string[]) => onChange?.(v)}
      style={{ width: '100%' }}
      data-testid={testId}
    />
  );
}
