import type { ReactNode } from 'react';

/** A table cell's text cut to one line with an ellipsis; the whole text shows on hover. */
export function Clip({ text, children, wide = false }: { text: string | null | undefined; children?: ReactNode; wide?: boolean }) {
  return (
    <span className={wide ? 'zb-cell-clip zb-cell-wide' : 'zb-cell-clip'} title={text ?? undefined}>
      {children ?? text ?? '—'}
    </span>
  );
}
