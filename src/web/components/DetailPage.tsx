import { Card, Descriptions, Space } from 'antd';
import type { DescriptionsProps } from 'antd';
import type { ReactNode } from 'react';
import { BlockLoading, ErrorState } from './Feedback';
import { PageHeader } from './PageHeader';

export interface DetailSection {
  key: string;
  title: ReactNode;
  items: NonNullable<DescriptionsProps['items']>;
}

/** A record's page: a header with actions, then sections of label/value pairs, then anything else. */
export function DetailPage({
  title,
  tags,
  backTo,
  loading,
  error,
  onRetry,
  actions,
  sections,
  children,
  testId,
}: {
  title: ReactNode;
  tags?: ReactNode;
  backTo: string;
  loading: boolean;
  error?: unknown;
  onRetry?: () => void;
  actions?: ReactNode;
  sections: DetailSection[];
  children?: ReactNode;
  testId?: string;
}) {
  if (error && !loading) {
    return (
      <div className="zb-page">
        <PageHeader title={title} backTo={backTo} />
        <Card className="zb-card">
          <ErrorState error={error} onRetry={onRetry} />
        </Card>
      </div>
    );
  }
  return (
    <div className="zb-page" data-testid={testId}>
      <PageHeader title={title} tags={tags} backTo={backTo} extra={loading ? undefined : actions} />
      {loading ? (
        <Card className="zb-card">
          <BlockLoading />
        </Card>
      ) : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          {sections.map((s) => (
            <Card key={s.key} title={s.title} className="zb-card" size="small">
              <Descriptions
                items={s.items}
                bordered
                size="small"
                column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 3, xxl: 3 }}
                styles={{ label: { whiteSpace: 'nowrap' } }}
              />
            </Card>
          ))}
          {children}
        </Space>
      )}
    </div>
  );
}
