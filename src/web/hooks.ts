import { useCallback, useEffect, useRef, useState } from 'react';
import type { DependencyList } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { Department } from '../shared/contracts/departments';
import type { Industry, Region } from '../shared/contracts/regions';
import { api, itemsOf } from './api';

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Runs fn whenever deps change; a newer run aborts the older one so answers never arrive out of order. */
export function useAsync<T>(fn: (signal: AbortSignal) => Promise<T>, deps: DependencyList): AsyncState<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: null,
    loading: true,
  });
  const [tick, setTick] = useState(0);
  const fnRef = useRef(fn);
  fnRef.current = fn;

  useEffect(() => {
    const ctrl = new AbortController();
    setState((s) => ({ ...s, loading: true, error: null }));
    fnRef.current(ctrl.signal).then(
      (data) => {
        if (!ctrl.signal.aborted) setState({ data, error: null, loading: false });
      },
      (error: unknown) => {
        if (!ctrl.signal.aborted) setState((s) => ({ data: s.data, error, loading: false }));
      },
    );
    return () => ctrl.abort();
    // deps are the caller's; fn is read through a ref so a new closure alone does not refetch.
  }, [...deps, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

// Reference data is small and changes with a release, not per request: fetch once per page load.
const cache = new Map<string, Promise<unknown>>();

function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  let p = cache.get(key) as Promise<T> | undefined;
  if (!p) {
    p = load();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

type Listish<T> = T[] | { items: T[] };

export function fetchDistricts(): Promise<Region[]> {
  return cached('districts', async () => itemsOf(await api.get<Listish<Region>>('/api/regions', { level: 'district' })));
}

export function fetchStreets(districtCode: string): Promise<Region[]> {
  return cached(`streets:${districtCode}`, async () =>
    itemsOf(await api.get<Listish<Region>>('/api/regions', { level: 'street', parent: districtCode })),
  );
}

export function fetchIndustries(): Promise<Industry[]> {
  return cached('industries', async () => itemsOf(await api.get<Listish<Industry>>('/api/industries')));
}

export function fetchDepartments(): Promise<Department[]> {
  return cached('departments', async () => itemsOf(await api.get<Listish<Department>>('/api/departments')));
}

export interface DictionaryEntry {
  code: string;
  label: string;
  sort: number;
  active: boolean;
}

export function fetchHazardCategories(): Promise<DictionaryEntry[]> {
  return cached('dict:hazard_category', async () => itemsOf(await api.get<Listish<DictionaryEntry>>('/api/dictionaries/hazard_category')));
}

export function useDistricts() {
  return useAsync(() => fetchDistricts(), []);
}

export function useStreets(districtCode: string | undefined) {
  return useAsync(async () => (districtCode ? fetchStreets(districtCode) : []), [districtCode]);
}

export function useIndustries() {
  return useAsync(() => fetchIndustries(), []);
}

export function useDepartments() {
  return useAsync(() => fetchDepartments(), []);
}

/** Hazard categories, every entry (an old hazard may carry one since retired); offer only the active ones. */
export function useHazardCategories() {
  return useAsync(() => fetchHazardCategories(), []);
}

export function useIsPhone(): boolean {
  const query = '(max-width: 767.98px)';
  const [phone, setPhone] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const mq = window.matchMedia(query);
    const onChange = () => setPhone(mq.matches);
    mq.addEventListener('change', onChange);
    return () => mq.removeEventListener('change', onChange);
  }, []);
  return phone;
}

/**
 * A number that grows each time `open` turns true. Used as a key, it gives a drawer or modal a
 * fresh form on every opening: a form instance outlives its fields, and would otherwise show
 * the values of the previous opening instead of the current record.
 */
export function useOpenCount(open: boolean): number {
  const [count, setCount] = useState(0);
  const [wasOpen, setWasOpen] = useState(open);
  if (open !== wasOpen) {
    setWasOpen(open);
    if (open) setCount((c) => c + 1);
  }
  return count;
}

/**
 * A page whose views and filters live in the address: the search params, and `set` to change some
 * (a null or empty value removes one) without adding a history entry.
 */
export function useUrlParams() {
  const [params, setParams] = useSearchParams();
  const set = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  return { params, set, setParams };
}
