import { districtToken, searchTokens } from '../../text/terms';

/** What the ledger's text search sees of a hazard: code, description, location, enterprise name, and its district's token. */
export function hazardSearchTokens(h: { code: string; description: string; location: string; enterpriseName: string; district_code: string }): string {
  return withCodeTokens(h.code, searchTokens(h.description, h.location, h.enterpriseName), h.district_code);
}

/**
 * The same tokens from a code given last and the tokens of the other fields made earlier
 * (`searchTokens(description, location, enterpriseName)`): a bulk import makes those ahead,
 * before its codes are reserved.
 */
export function withCodeTokens(code: string, fieldTokens: string, districtCode: string): string {
  const codeTokens = searchTokens(code);
  return `${codeTokens && fieldTokens ? `${codeTokens} ${fieldTokens}` : codeTokens || fieldTokens} ${districtToken(districtCode)}`;
}
