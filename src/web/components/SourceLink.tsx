import { LinkOutlined } from '@ant-design/icons';
import { Typography } from 'antd';
import { isHttpUrl } from '../format';

/** A source may be a URL or a citation in words; links open outside the app. */
export function SourceLink({ source, label }: { source: string | null | undefined; label?: string }) {
  if (!source) return null;
  if (isHttpUrl(source)) {
    return (
      <Typography.Link href={source} target="_blank" rel="noopener noreferrer" className="zb-source">
        <LinkOutlined /> {label ?? new URL(source).host}
      </Typography.Link>
    );
  }
  return <Typography.Text type="secondary" className="zb-source">{source}</Typography.Text>;
}
