import { describe, expect, it } from 'vitest';
import { Registry } from './metrics';

describe('metrics registry', () => {
  it('renders counters in the text format with escaped label values and help', () => {
    const r = new Registry();
    const c = r.counter('t_total', 'Things\\done\nper kind', ['kind']);
    c.inc({ kind: 'a "quoted" \\ back\nslash' });
    c.inc({ kind: 'plain' }, 2);
    c.inc({ kind: 'plain' });
    expect(r.render()).toBe(
      ['# HELP t_total Things\\\\done\\nper kind', '# TYPE t_total counter', 't_total{kind="a \\"quoted\\" \\\\ back\\nslash"} 1', 't_total{kind="plain"} 3', ''].join('\n'),
    );
  });

  it('renders histograms with cumulative buckets, +Inf, sum and count per series', () => {
    const r = new Registry();
    const h = r.histogram('t_seconds', 'Time', ['route'], [0.1, 1]);
    for (const v of [0.05, 0.1, 0.5, 3]) h.observe({ route: '/a' }, v);
    h.observe({ route: '/b' }, 2);
    expect(r.render().split('\n')).toEqual([
      '# HELP t_seconds Time',
      '# TYPE t_seconds histogram',
      't_seconds_bucket{route="/a",le="0.1"} 2',
      't_seconds_bucket{route="/a",le="1"} 3',
      't_seconds_bucket{route="/a",le="+Inf"} 4',
      't_seconds_sum{route="/a"} 3.65',
      't_seconds_count{route="/a"} 4',
      't_seconds_bucket{route="/b",le="0.1"} 0',
      't_seconds_bucket{route="/b",le="1"} 0',
      't_seconds_bucket{route="/b",le="+Inf"} 1',
      't_seconds_sum{route="/b"} 2',
      't_seconds_count{route="/b"} 1',
      '',
    ]);
  });

  it('reads gauges when rendered, and labels in the declared order', () => {
    const r = new Registry();
    let n = 1;
    r.gauge('t_gauge', 'Now', ['b', 'a'], () => [{ labels: { a: 'x', b: 'y' }, value: n }]);
    r.gauge('t_plain', 'No labels', [], () => [{ labels: {}, value: Infinity }]);
    expect(r.render()).toContain('t_gauge{b="y",a="x"} 1\n');
    n = 5;
    expect(r.render()).toContain('t_gauge{b="y",a="x"} 5\n');
    expect(r.render()).toContain('t_plain +Inf\n');
  });
});
