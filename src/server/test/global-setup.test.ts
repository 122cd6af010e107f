import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ownerAlive } from './global-setup';

describe('global setup: which leftover test schemas it drops', () => {
  it('keeps a schema whose test process still runs', () => {
    expect(ownerAlive(`zt_${process.pid}_abc123`)).toBe(true);
  });

  it('drops a schema whose test process has ended', () => {
    const child = spawnSync(process.execPath, ['-e', '0']);
    expect(child.status).toBe(0);
    // The pid of a process that has exited and been reaped (reuse within this test is not expected).
    expect(ownerAlive(`zt_${child.pid}_abc123`)).toBe(false);
  });

  it('drops a schema whose name carries no pid', () => {
    expect(ownerAlive('zt_abc')).toBe(false);
    expect(ownerAlive('zt_0_abc')).toBe(false);
  });
});
