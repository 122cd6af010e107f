import { Select, TreeSelect } from 'antd';
import { useMemo } from 'react';
import type { Industry } from '../../shared/contracts/regions';
import { useDistricts, useIndustries, useStreets } from '../hooks';

interface SelectProps {
  id?: string;
  value?: string | null;
  onChange?: (value: string | undefined) => void;
  placeholder?: string;
  disabled?: boolean;
  allowClear?: boolean;
  'data-testid'?: string;
}

function labelFilter(input: string, option?: { label?: unknown; value?: unknown }) {
  const q = input.trim().toLowerCase();
  return String(option?.label ?? '').toLowerCase().includes(q) || String(option?.value ?? '').includes(q);
}

/** A searchable single choice among regions, filling its column. */
function RegionSelect({
  value,
  onChange,
  allowClear,
  options,
  loading,
  ...rest
}: SelectProps & { options: { value: string; label: string }[]; loading: boolean }) {
  return (
    <Select
      {...rest}
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v)}
      options={options}
      loading={loading}
      allowClear={allowClear}
      showSearch={{ filterOption: labelFilter }}
      style={{ width: '100%' }}
    />
  );
}

export function DistrictSelect({ allowClear = true, ...rest }: SelectProps) {
  const districts = useDistricts();
  const options = useMemo(() => (districts.data ?? []).map((d) => ({ value: d.code, label: d.name })), [districts.data]);
  return <RegionSelect {...rest} allowClear={allowClear} options={options} loading={districts.loading} />;
}

export function StreetSelect({ districtCode, allowClear = true, ...rest }: SelectProps & { districtCode?: string }) {
  const streets = useStreets(districtCode);
  const options = useMemo(
    () => (streets.data ?? []).map((s) => ({ value: s.code, label: s.kind && !s.name.endsWith(s.kind) ? `${s.name}（${s.kind}）` : s.name })),
    [streets.data],
  );
  return (
    <RegionSelect
      {...rest}
      allowClear={allowClear}
      options={options}
      loading={streets.loading && !!districtCode}
      disabled={rest.disabled || !districtCode}
    />
  );
}

interface TreeNode {
  value: string;
  title: string;
  selectable?: boolean;
  children?: TreeNode[];
}

function industryTree(industries: Industry[], sectionsSelectable: boolean): TreeNode[] {
  const sections = industries.filter((i) => i.level === 'section');
  return sections.map((s) => ({
    value: s.code,
    title: `${s.code} ${s.name}`,
    selectable: sectionsSelectable,
    children: industries
      .filter((d) => d.level === 'division' && d.parentCode === s.code)
      .map((d) => ({ value: d.code, title: `${d.code} ${d.name}` })),
  }));
}

/** GB/T 4754 divisions grouped under their sections; sections are pickable only when filtering. */
export function IndustrySelect({ value, onChange, sectionsSelectable = false, allowClear = true, ...rest }: SelectProps & { sectionsSelectable?: boolean }) {
  const industries = useIndustries();
  const tree = useMemo(() => industryTree(industries.data ?? [], sectionsSelectable), [industries.data, sectionsSelectable]);
  return (
    <TreeSelect
      {...rest}
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v)}
      treeData={tree}
      loading={industries.loading}
      allowClear={allowClear}
      showSearch={{ treeNodeFilterProp: 'title' }}
      style={{ width: '100%' }}
      styles={{ popup: { root: { maxHeight: 400, overflow: 'auto' } } }}
      popupMatchSelectWidth={false}
      // ~120 nodes: plain rendering, and no virtual-list scroll warnings while filtering.
      virtual={false}
    />
  );
}
