import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, poll } from './api';

type Answer = { status: 'running' | 'done' };

/** A load answering the given results in turn (an Error is thrown), and what poll reported. */
function scripted(results: (Answer | Error)[]) {
  const answers: Answer[] = [];
  const errors: [unknown, boolean][] = [];
  let asked = 0;
  const load = vi.fn(async () => {
    const r = results[Math.min(asked++, results.length - 1)];
    if (r instanceof Error) throw r;
    return r;
  });
  const stop = poll(load, {
    intervalMs: 500,
    again: (a) => a.status === 'running',
    onAnswer: (a) => answers.push(a),
    onError: (err, retrying) => errors.push([err, retrying]),
  });
  return { load, answers, errors, stop };
}

describe('polling a job at the server', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks at once, then every interval while the job runs, and stops when it is done', async () => {
    const p = scripted([{ status: 'running' }, { status: 'running' }, { status: 'done' }]);
    await vi.advanceTimersByTimeAsync(0);
    expect(p.load).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(499);
    expect(p.load).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(p.load).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(5000);
    expect(p.load).toHaveBeenCalledTimes(3);
    expect(p.answers.map((a) => a.status)).toEqual(['running', 'running', 'done']);
  });

  it('retries a lost connection, more slowly each time, and ends on a refusal', async () => {
    const p = scripted([new ApiError(0, null, 'network error'), new ApiError(503, null, 'HTTP 503'), new ApiError(404, null, 'HTTP 404')]);
    await vi.advanceTimersByTimeAsync(0);
    // 1 s after the first miss, 2 s after the second.
    await vi.advanceTimersByTimeAsync(999);
    expect(p.load).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(p.load).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(2000);
    expect(p.load).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(p.load).toHaveBeenCalledTimes(3);
    expect(p.errors.map(([err, retrying]) => [(err as ApiError).status, retrying])).toEqual([
      [0, true],
      [503, true],
      [404, false],
    ]);
  });

  it('asks nothing more and reports nothing once stopped', async () => {
    const p = scripted([{ status: 'running' }]);
    await vi.advanceTimersByTimeAsync(0);
    p.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(p.load).toHaveBeenCalledTimes(1);
    expect(p.answers).toHaveLength(1);
  });

  it('drops an answer that arrives after the stop', async () => {
    const answers: Answer[] = [];
    let resolve: (a: Answer) => void = () => {};
    const stop = poll(() => new Promise<Answer>((r) => (resolve = r)), { intervalMs: 500, again: () => true, onAnswer: (a) => answers.push(a), onError: () => {} });
    stop();
    resolve({ status: 'running' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(answers).toEqual([]);
  });
});
