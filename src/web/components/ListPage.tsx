import { FilterOutlined, ReloadOutlined } from '@ant-design/icons';
import { Badge, Button, Card, Col, Empty, Form, Row, Space, Table } from 'antd';
import type { FormInstance, TableColumnsType, TableProps } from 'antd';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api } from '../api';
import type { ListResult } from '../api';
import { useAsync, useIsPhone } from '../hooks';
import { useT } from '../i18n';
import { ErrorState } from './Feedback';
import { PageHeader } from './PageHeader';

export type FilterValues = Record<string, unknown>;
export type UrlParams = Record<string, string>;

/** How filter form values and URL parameters map to each other, for filters that are not plain strings. */
export interface FilterCodec {
  toForm: (params: UrlParams) => FilterValues;
  toParams: (values: FilterValues) => UrlParams;
}

export interface ListPageProps<T> {
  title: ReactNode;
  endpoint: string;
  columns: TableColumnsType<T>;
  rowKey: string | ((row: T) => string);
  /** URL parameters that are filters; each is also sent to the API unless the codec says otherwise. */
  filterKeys: string[];
  /** Filters typed into a text box: applied after a pause, not on every key. */
  textKeys?: string[];
  filters?: (form: FormInstance) => ReactNode;
  codec?: FilterCodec;
  /** Sent with every request but never shown in the URL (e.g. a scope the user cannot change). */
  fixedQuery?: Record<string, string | undefined>;
  onFiltersChange?: (changed: FilterValues, form: FormInstance) => void;
  onRowClick?: (row: T) => void;
  extra?: ReactNode;
  /** Shown between the filters and the table (a summary of the filters, say). */
  beforeTable?: ReactNode;
  expandable?: TableProps<T>['expandable'];
  /**
   * Many filters: on a desktop too, only the primary ones and these (form field names) show
   * until the user opens the rest.
   */
  pinnedFilters?: string[];
  /** Change it to reload the current page, e.g. after a create. */
  reloadKey?: number;
  defaultPageSize?: number;
  embedded?: boolean;
  testId?: string;
}

const TEXT_DELAY_MS = 400;

// On a phone only the primary filter (the search box) shows until the user opens the rest;
// on a desktop, with pinnedFilters, the primary and the pinned ones.
const FiltersCollapsed = createContext<{ on: 'phone' | 'desktop' | false; pinned: string[] }>({ on: false, pinned: [] });

function plainCodec(keys: string[]): FilterCodec {
  return {
    toForm: (params) => Object.fromEntries(keys.map((k) => [k, params[k]])),
    toParams: (values) => {
      const out: UrlParams = {};
      for (const k of keys) {
        const v = values[k];
        if (v !== undefined && v !== null && String(v).trim() !== '') out[k] = String(v).trim();
      }
      return out;
    },
  };
}

/**
 * A filter form, a table and server pagination, with every filter and the page kept in the
 * URL so that reload, back and shared links show the same list.
 */
export function ListPage<T extends object>(props: ListPageProps<T>) {
  const { endpoint, filterKeys, textKeys = [], fixedQuery, reloadKey = 0, defaultPageSize = 20 } = props;
  const t = useT();
  const phone = useIsPhone();
  const [form] = Form.useForm();
  const [filtersOpen, setFiltersOpen] = useState(false);
  const [searchParams, setSearchParams] = useSearchParams();
  const filterKeyList = filterKeys.join(',');
  // Effects read the codec through a ref: pages may pass a fresh one on every render.
  const codecRef = useRef<FilterCodec>(props.codec ?? plainCodec(filterKeys));
  codecRef.current = props.codec ?? plainCodec(filterKeys);

  const searchKey = searchParams.toString();
  const params = useMemo(() => Object.fromEntries(new URLSearchParams(searchKey).entries()) as UrlParams, [searchKey]);
  const page = Math.max(1, Number(params.page) || 1);
  const pageSize = Math.min(200, Math.max(1, Number(params.pageSize) || defaultPageSize));
  const filterParams = useMemo(() => {
    const out: UrlParams = {};
    for (const k of filterKeyList.split(',')) if (params[k]) out[k] = params[k];
    return out;
  }, [params, filterKeyList]);
  const hasFilters = Object.keys(filterParams).length > 0;
  const pinned = props.pinnedFilters;
  const collapsible = phone || !!pinned;
  // What the collapsed form hides and is set: the count on the button that opens it.
  const hiddenFilterCount = Object.keys(filterParams).filter((k) => !textKeys.includes(k) && (phone || !pinned?.includes(k))).length;
  const queryKey = JSON.stringify([endpoint, page, pageSize, filterParams, fixedQuery ?? {}, reloadKey]);

  const list = useAsync(
    (signal) => api.get<ListResult<T>>(endpoint, { ...fixedQuery, ...filterParams, page, pageSize }, signal),
    [queryKey],
  );

  // The URL is the source of truth; the form follows it unless the change came from the form itself.
  const pushedRef = useRef<string | null>(null);
  useEffect(() => {
    if (pushedRef.current === searchKey) {
      pushedRef.current = null;
      return;
    }
    form.resetFields();
    form.setFieldsValue(codecRef.current.toForm(Object.fromEntries(new URLSearchParams(searchKey).entries())));
  }, [searchKey, form]);

  /** Other parameters on the URL (a tab, say) belong to the page around the list and stay. */
  const withoutFilters = useCallback(() => {
    const next = new URLSearchParams(searchKey);
    next.delete('page');
    for (const k of filterKeyList.split(',')) next.delete(k);
    return next;
  }, [searchKey, filterKeyList]);

  const apply = useCallback(
    (values: FilterValues) => {
      const next = withoutFilters();
      for (const [k, v] of Object.entries(codecRef.current.toParams(values))) next.set(k, v);
      const canonical = (p: URLSearchParams) => [...p.entries()].map(([k, v]) => `${k}=${v}`).sort().join('&');
      const current = new URLSearchParams(searchKey);
      current.delete('page');
      if (canonical(next) === canonical(current)) return;
      pushedRef.current = next.toString();
      setSearchParams(next);
    },
    [withoutFilters, searchKey, setSearchParams],
  );

  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const onValuesChange = (changed: FilterValues) => {
    props.onFiltersChange?.(changed, form);
    clearTimeout(timer.current);
    const typed = Object.keys(changed).some((k) => textKeys.includes(k));
    if (typed) timer.current = setTimeout(() => apply(form.getFieldsValue(true) as FilterValues), TEXT_DELAY_MS);
    else apply(form.getFieldsValue(true) as FilterValues);
  };

  const onFinish = () => {
    clearTimeout(timer.current);
    apply(form.getFieldsValue(true) as FilterValues);
  };

  const onReset = () => {
    clearTimeout(timer.current);
    form.resetFields();
    const next = withoutFilters();
    pushedRef.current = next.toString();
    setSearchParams(next);
  };

  const setPage = (nextPage: number, nextSize: number) => {
    const next = new URLSearchParams(searchKey);
    if (nextPage > 1) next.set('page', String(nextPage));
    else next.delete('page');
    if (nextSize !== defaultPageSize) next.set('pageSize', String(nextSize));
    else next.delete('pageSize');
    pushedRef.current = next.toString();
    setSearchParams(next);
    window.scrollTo({ top: 0 });
  };

  const data = list.data;
  const onRowClick = props.onRowClick;

  const body = (
    <>
      {props.filters && (
        <Form
          form={form}
          name="filters"
          layout="vertical"
          className="zb-filters"
          onValuesChange={onValuesChange}
          onFinish={onFinish}
          onKeyDown={(e) => {
            // Enter in a text filter applies it at once instead of after the typing pause.
            if (e.key === 'Enter' && (e.target as HTMLElement).tagName === 'INPUT') onFinish();
          }}
          data-testid="list-filters"
        >
          <Row gutter={[12, 0]} align="bottom">
            <FiltersCollapsed.Provider value={{ on: filtersOpen ? false : phone ? 'phone' : pinned ? 'desktop' : false, pinned: pinned ?? [] }}>
              {props.filters(form)}
            </FiltersCollapsed.Provider>
            <Col flex="none">
              <Form.Item label={phone ? undefined : ' '} colon={false}>
                <Space>
                  {collapsible && (
                    <Badge count={hiddenFilterCount} size="small">
                      <Button icon={<FilterOutlined />} onClick={() => setFiltersOpen((o) => !o)} aria-expanded={filtersOpen} data-testid="filters-toggle">
                        {t('common.filters')}
                      </Button>
                    </Badge>
                  )}
                  <Button onClick={onReset} disabled={!hasFilters} data-testid="filters-reset">
                    {t('common.reset')}
                  </Button>
                </Space>
              </Form.Item>
            </Col>
          </Row>
        </Form>
      )}
      {props.beforeTable}
      {list.error && !list.loading ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : (
        <Table<T>
          rowKey={props.rowKey}
          columns={props.columns}
          dataSource={data?.items ?? []}
          loading={list.loading}
          size={phone ? 'small' : 'middle'}
          scroll={{ x: 'max-content' }}
          expandable={props.expandable}
          data-testid={props.testId}
          locale={{
            emptyText: list.loading ? (
              <div style={{ height: 120 }} />
            ) : (
              <Empty description={hasFilters ? t('common.emptyFiltered') : t('common.empty')} />
            ),
          }}
          onRow={
            onRowClick
              ? (row) => ({
                  onClick: (e) => {
                    // Links, buttons and the expand icon inside a row do their own thing.
                    if ((e.target as HTMLElement).closest('a,button,.ant-table-row-expand-icon')) return;
                    onRowClick(row);
                  },
                  onKeyDown: (e) => {
                    if (e.key === 'Enter' && e.target === e.currentTarget) onRowClick(row);
                  },
                  tabIndex: 0,
                  className: 'zb-clickable-row',
                })
              : undefined
          }
          pagination={{
            current: data?.page ?? page,
            pageSize: data?.pageSize ?? pageSize,
            total: data?.total ?? 0,
            showSizeChanger: !phone,
            simple: phone,
            showTotal: phone ? undefined : (total) => t('common.total', { total }),
            onChange: setPage,
          }}
        />
      )}
    </>
  );

  if (props.embedded) return body;
  return (
    <div className="zb-page">
      <PageHeader
        title={props.title}
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={list.reload} aria-label={t('common.reload')} title={t('common.reload')} />
            {props.extra}
          </>
        }
      />
      <Card className="zb-card">{body}</Card>
    </div>
  );
}

/** One filter in the ListPage grid; the primary one stays visible on a phone. */
export function FilterItem({
  name,
  label,
  children,
  wide = false,
  primary = false,
  valuePropName,
}: {
  name: string;
  label: ReactNode;
  children: ReactNode;
  wide?: boolean;
  primary?: boolean;
  /** 'checked' for a switch or a checkbox */
  valuePropName?: string;
}) {
  const collapsed = useContext(FiltersCollapsed);
  const hidden = !primary && (collapsed.on === 'phone' || (collapsed.on === 'desktop' && !collapsed.pinned.includes(name)));
  return (
    <Col xs={24} sm={12} md={wide ? 12 : 8} xl={wide ? 6 : 4} style={hidden ? { display: 'none' } : undefined}>
      <Form.Item name={name} label={label} valuePropName={valuePropName}>
        {children}
      </Form.Item>
    </Col>
  );
}
