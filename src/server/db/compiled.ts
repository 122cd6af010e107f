import type { CompiledQuery, Kysely } from 'kysely';
import type { DB } from './schema';

/**
 * Compiled SQL kept by the exact inputs that decide it, so a request asking what an earlier one
 * asked runs the statement without building and compiling it again (Kysely's builders cost ~0.1 ms
 * a ledger page). The key must name everything the built statement depends on — the caller's
 * scope, the filters and any clock reading — and the built statement nothing else. The statement
 * still runs each time: this caches text, never rows. Least recently used entries go first.
 */
export class CompiledQueries {
  private readonly entries = new Map<string, CompiledQuery>();
  constructor(private readonly max = 500) {}

  get<R>(key: string, build: () => CompiledQuery<R>): CompiledQuery<R> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit as CompiledQuery<R>;
    }
    const made = build();
    this.entries.set(key, made);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    return made;
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * A statement whose shape never changes, compiled once per database handle with stand-in values and
 * then run with the real ones in their places. `build` must pass each argument as a bound value
 * (checked on the first compile: every stand-in must come back as a parameter, none in the text).
 */
export function compiledOnce<A extends string[], R>(build: (db: Kysely<DB>, ...args: A) => { compile(): CompiledQuery<R> }): (db: Kysely<DB>, ...args: A) => CompiledQuery<R> {
  const templates = new WeakMap<Kysely<DB>, { compiled: CompiledQuery<R>; slots: Map<unknown, number> }>();
  return (db, ...args) => {
    let t = templates.get(db);
    if (!t) {
      const standIns = args.map((_, i) => `\u0000zb-slot-${i}\u0000`) as A;
      const compiled = build(db, ...standIns).compile();
      const slots = new Map(standIns.map((v, i) => [v as unknown, i]));
      const bound = new Set(compiled.parameters.filter((p) => slots.has(p)));
      if (bound.size !== standIns.length || standIns.some((v) => compiled.sql.includes(v))) throw new Error('compiledOnce: every argument must be a bound parameter');
      t = { compiled, slots };
      templates.set(db, t);
    }
    const { compiled, slots } = t;
    return { ...compiled, parameters: compiled.parameters.map((p) => (slots.has(p) ? args[slots.get(p)!] : p)) };
  };
}

/** A `CompiledQueries` per database handle (a compiled statement belongs to its dialect). */
export function compiledPerDatabase(max = 500): (db: Kysely<DB>) => CompiledQueries {
  const per = new WeakMap<Kysely<DB>, CompiledQueries>();
  return (db) => {
    let c = per.get(db);
    if (!c) per.set(db, (c = new CompiledQueries(max)));
    return c;
  };
}
