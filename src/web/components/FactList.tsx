import type { CSSProperties } from 'react';
import { Descriptions, type DescriptionsProps } from 'antd';
import { useIsPhone } from '../hooks';

/** A record's facts, one per row: label beside value on a desk, label over value on a phone. */
export function FactList({ items, labelWidth = 120, style }: { items: DescriptionsProps['items']; labelWidth?: number; style?: CSSProperties }) {
  const phone = useIsPhone();
  return <Descriptions size="small" bordered column={1} layout={phone ? 'vertical' : 'horizontal'} styles={{ label: { whiteSpace: 'nowrap', width: phone ? undefined : labelWidth } }} items={items} style={style} />;
}
