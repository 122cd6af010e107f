/**
 * 双随机 as arithmetic anyone can redo (algorithm `sha256-fisher-yates-v1`). Pure: no I/O.
 *
 * - The pool is the enterprises' ids, sorted as strings (code-unit order), and its hash is SHA-256
 *   of the ids joined by "\n".
 * - A uniform index below `n` for a label is the first 8 bytes of SHA-256(`${seed}|${label}`) read
 *   as an unsigned big-endian 64-bit integer, modulo `n` (the bias, below n / 2^64, is nil here).
 * - Enterprises: a Fisher–Yates shuffle of the pool where step i swaps position i with
 *   i + index(`e:${i}`, n − i); they are taken in that order, skipping any for which fewer
 *   inspectors than needed are eligible, until the count is reached.
 * - Inspectors for an enterprise: its eligible inspectors' ids, sorted, shuffled the same way with
 *   labels `i:${enterpriseId}:${j}`; the first k are assigned.
 *
 * A shell with `sha256sum` can recompute any draw from its published pool, seed and candidates.
 */
import { createHash, randomBytes } from 'node:crypto';

export const ALGORITHM = 'sha256-fisher-yates-v1';
export const ALGORITHM_NOTE =
  '企业池按编号排序；以 SHA-256(种子|标签) 前 8 字节为无符号整数取模得到随机下标，对企业池做 Fisher–Yates 洗牌（标签 e:i），依次取出可配足执法人员的企业；每家企业的可选执法人员按编号排序后同法洗牌（标签 i:企业编号:j），取前 k 名。任何人可据企业池、种子与候选名单复算。';

export function newSeed(): string {
  return randomBytes(16).toString('hex');
}

export function poolHash(sortedIds: readonly string[]): string {
  return createHash('sha256').update(sortedIds.join('\n')).digest('hex');
}

export function uniformIndex(seed: string, label: string, n: number): number {
  const h = createHash('sha256').update(`${seed}|${label}`).digest();
  return Number(h.readBigUInt64BE(0) % BigInt(n));
}

/** The pool in shuffled order, lazily: only as many steps as are walked are computed. */
export function* shuffled(sortedIds: readonly string[], seed: string, labelPrefix = 'e:'): Generator<string> {
  const a = sortedIds.slice();
  for (let i = 0; i < a.length; i++) {
    const j = i + uniformIndex(seed, `${labelPrefix}${i}`, a.length - i);
    [a[i], a[j]] = [a[j], a[i]];
    yield a[i];
  }
}

export function pickInspectors(candidates: readonly string[], k: number, seed: string, enterpriseId: string): string[] {
  const sorted = [...candidates].sort();
  const out: string[] = [];
  for (const id of shuffled(sorted, seed, `i:${enterpriseId}:`)) {
    out.push(id);
    if (out.length === k) break;
  }
  return out;
}

export interface DrawOutcome {
  enterpriseIds: string[];
  assignments: { enterpriseId: string; inspectorIds: string[] }[];
  /** Walked but not staffable (fewer eligible inspectors than needed). */
  skipped: string[];
  /** The walk met an enterprise whose candidates are not known yet (the caller fetches them and runs again). */
  unknown: string[];
  exhausted: boolean;
}

/**
 * Walks the shuffled pool until `count` staffable enterprises are found. `candidatesOf` answers the
 * eligible inspectors of an enterprise, or undefined when not known; the walk stops at the first
 * unknown ones (up to `lookahead` of them) so the caller can fetch them in one query.
 */
export function walkDraw(sortedPool: readonly string[], seed: string, count: number, k: number, candidatesOf: (id: string) => readonly string[] | undefined, lookahead = 0): DrawOutcome {
  const out: DrawOutcome = { enterpriseIds: [], assignments: [], skipped: [], unknown: [], exhausted: false };
  const it = shuffled(sortedPool, seed);
  for (let next = it.next(); ; next = it.next()) {
    if (next.done) {
      out.exhausted = true;
      break;
    }
    const id = next.value;
    const c = candidatesOf(id);
    if (!c) {
      out.unknown.push(id);
      if (out.unknown.length > lookahead) break;
      continue;
    }
    if (out.unknown.length) continue;
    if (c.length < k) {
      out.skipped.push(id);
      continue;
    }
    out.enterpriseIds.push(id);
    out.assignments.push({ enterpriseId: id, inspectorIds: pickInspectors(c, k, seed, id) });
    if (out.enterpriseIds.length === count) break;
  }
  return out;
}
