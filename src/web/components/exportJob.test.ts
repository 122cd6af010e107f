import { afterEach, describe, expect, it, vi } from 'vitest';
import { exportFileUrl, exportJobUrl, exportPercent, forgetExport, rememberedExport, rememberExport } from './exportJob';

describe('an export job in the web', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('shows rows written as a whole percentage, 100 only once the file is done', () => {
    expect(exportPercent({ status: 'running', rowsTotal: 35_420, rowsWritten: 12_000 })).toBe(33);
    expect(exportPercent({ status: 'running', rowsTotal: 35_420, rowsWritten: 0 })).toBe(0);
    // Every row written, the file still being closed.
    expect(exportPercent({ status: 'running', rowsTotal: 4000, rowsWritten: 4000 })).toBe(99);
    expect(exportPercent({ status: 'done', rowsTotal: 4000, rowsWritten: 4000 })).toBe(100);
    expect(exportPercent({ status: 'failed', rowsTotal: 4000, rowsWritten: 2000 })).toBe(50);
  });

  it('handles an empty selection: nothing to divide by, still done at 100', () => {
    expect(exportPercent({ status: 'running', rowsTotal: 0, rowsWritten: 0 })).toBe(0);
    expect(exportPercent({ status: 'done', rowsTotal: 0, rowsWritten: 0 })).toBe(100);
  });

  it('addresses the job and its file with the id encoded', () => {
    expect(exportJobUrl('a/b')).toBe('/api/exports/a%2Fb');
    expect(exportFileUrl('0190')).toBe('/api/exports/0190/file');
  });

  it('remembers the job per user and kind, and forgets it', () => {
    const store = new Map<string, string>();
    vi.stubGlobal('sessionStorage', {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => store.set(k, v),
      removeItem: (k: string) => store.delete(k),
    });
    rememberExport('u1', 'hazards', 'job-1');
    expect(rememberedExport('u1', 'hazards')).toBe('job-1');
    expect(rememberedExport('u1', 'enterprises')).toBeNull();
    expect(rememberedExport('u2', 'hazards')).toBeNull();
    forgetExport('u1', 'hazards');
    expect(rememberedExport('u1', 'hazards')).toBeNull();
  });

  it('works when storage is refused (private mode)', () => {
    vi.stubGlobal('sessionStorage', {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    });
    expect(() => rememberExport('u1', 'hazards', 'job-1')).not.toThrow();
    expect(rememberedExport('u1', 'hazards')).toBeNull();
    expect(() => forgetExport('u1', 'hazards')).not.toThrow();
  });
});
