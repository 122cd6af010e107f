/**
 * A hazard's events form a chain: each step starts from the status the step before ended in. The
 * event row keeps `from_status` only where it says something the chain does not (migration 35): null
 * means "the previous event's to_status" (none before the first); '' means no status (a step with no
 * "from" after the first — none is written today, kept for a ledger that has one). Writers go
 * through `storedFrom`, readers through `shownFrom`, so the rule lives here only.
 */
export function storedFrom(from: string | null, previousTo: string | null, seq: number): string | null {
  if (from === null) return seq > 1 ? '' : null;
  return previousTo !== null && from === previousTo ? null : from;
}

export function shownFrom(stored: string | null, previousTo: string | null): string | null {
  if (stored === '') return null;
  return stored ?? previousTo;
}
