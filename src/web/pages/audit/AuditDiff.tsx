import { Col, Row, Typography } from 'antd';
import { useT } from '../../i18n';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v, null, 2) ?? 'undefined';
}

/** One side of the change, one line per top-level field, with the fields that changed marked. */
function Side({ value, changed, testId }: { value: unknown; changed: Set<string>; testId: string }) {
  if (value === null || value === undefined) {
    return <pre className="zb-json zb-muted" data-testid={testId}>—</pre>;
  }
  if (!isObject(value)) return <pre className="zb-json" data-testid={testId}>{show(value)}</pre>;
  return (
    <pre className="zb-json" data-testid={testId}>
      {'{\n'}
      {Object.entries(value).map(([k, v], i, all) => (
        <span key={k} className={changed.has(k) ? 'zb-json-changed' : undefined}>
          {`  ${JSON.stringify(k)}: ${show(v).replace(/\n/g, '\n  ')}${i < all.length - 1 ? ',' : ''}\n`}
        </span>
      ))}
      {'}'}
    </pre>
  );
}

export function AuditDiff({ before, after }: { before: unknown; after: unknown }) {
  const t = useT();
  const changed = new Set<string>();
  if (isObject(before) || isObject(after)) {
    const b = isObject(before) ? before : {};
    const a = isObject(after) ? after : {};
    for (const k of new Set([...Object.keys(b), ...Object.keys(a)])) {
      if (JSON.stringify(b[k]) !== JSON.stringify(a[k])) changed.add(k);
    }
  }
  return (
    <div className="zb-audit-diff">
      <Typography.Text type="secondary">{t('audit.changed')}</Typography.Text>
      <Row gutter={[16, 8]}>
        <Col xs={24} md={12}>
          <Typography.Text strong>{t('audit.before')}</Typography.Text>
          <Side value={before} changed={changed} testId="audit-before" />
        </Col>
        <Col xs={24} md={12}>
          <Typography.Text strong>{t('audit.after')}</Typography.Text>
          <Side value={after} changed={changed} testId="audit-after" />
        </Col>
      </Row>
    </div>
  );
}
