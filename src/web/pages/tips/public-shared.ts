/** What the public door's report and lookup both use. */
import { blankToNull } from '../../format';

export const PHONE = /^[0-9+\-() ]{5,30}$/;

/** An optional text as the API takes it: trimmed, or left out when blank. */
export const optional = (s: string | undefined) => blankToNull(s) ?? undefined;
