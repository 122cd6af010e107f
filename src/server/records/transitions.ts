/**
 * Steps as data, for every module's records (inspections, cases — later tips, visits, accidents):
 * a table says from which statuses an action may be taken, where it leads, and who may take it; a
 * refusal says why. Pure: commands consult it, detail views list the allowed actions from it. The
 * hazard loop (`hazards/workflow.ts`) is the richer original of the same shape.
 */
export interface Step<S extends string, A extends string, F> {
  action: A;
  from: readonly S[];
  /** `null`: the status stays (a note, a payment that leaves something due). */
  to: S | null | ((facts: F) => S | null);
  who: (facts: F) => boolean;
  /** Shown when `who` refuses. */
  whoText: string;
  /** A further condition on the record itself; returns the reason it is not met. */
  unless?: (facts: F) => string | null;
}

export type StepDecision<S extends string, A extends string, F> =
  | { ok: true; step: Step<S, A, F>; to: S | null }
  | { ok: false; reason: 'INVALID_TRANSITION' | 'FORBIDDEN'; message: string };

export function decideStep<S extends string, A extends string, F extends { status: S }>(table: readonly Step<S, A, F>[], labels: Record<S, { zh: string }>, action: A, facts: F): StepDecision<S, A, F> {
  const step = table.find((s) => s.action === action);
  const invalid = { ok: false as const, reason: 'INVALID_TRANSITION' as const, message: `当前状态为“${labels[facts.status].zh}”，不能执行此操作` };
  if (!step) return invalid;
  // Who first: someone who may never take the step learns that, whatever the status.
  if (!step.who(facts)) return { ok: false, reason: 'FORBIDDEN', message: step.whoText };
  if (!step.from.includes(facts.status)) return invalid;
  const blocked = step.unless?.(facts);
  if (blocked) return { ok: false, reason: 'INVALID_TRANSITION', message: blocked };
  return { ok: true, step, to: typeof step.to === 'function' ? step.to(facts) : step.to };
}

export function allowedSteps<S extends string, A extends string, F extends { status: S }>(table: readonly Step<S, A, F>[], facts: F): A[] {
  return table.filter((s) => s.from.includes(facts.status) && s.who(facts) && !s.unless?.(facts)).map((s) => s.action);
}
