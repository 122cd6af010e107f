import { districtToken, searchTokens } from '../../text/terms';

/** What the ledger's text search sees of a hazard: code, description, location, enterprise name, and its district's token. */
export function hazardSearchTokens(h: { code: string; description: string; location: string; enterpriseName: string; district_code: string }): string {
  return `${searchTokens(h.code, h.description, h.location, h.enterpriseName)} ${districtToken(h.district_code)}`;
}
