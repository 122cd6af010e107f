import { IdParam, listOf } from '../../../shared/contracts/common';
import { Certificate, CertificateInput, CertificateQuery, EnterpriseOperations, Operations, OperationsInput, Standardization, StandardizationInput, StandardizationListItem, StandardizationListQuery } from '../../../shared/contracts/certificates';
import type { KeyRing } from '../../crypto/sealed';
import { route, type RouteDef } from '../../http/route';
import { declareOperations, enterpriseOperations, getCertificate, listCertificates, operationCatalogue, recordCertificate } from './registry';
import { listStandardizations, recordStandardization, standardizationOf } from './standardization';
import { z } from 'zod';

const tags = ['certificates'];
const Recorded = Certificate.extend({ hazardsOpened: z.array(z.string()).describe('hazards the lapse of this enterprise’s certificates put on the ledger now'), hazardsClosed: z.array(z.string()).describe('lapse hazards this valid certificate closed') });

/** 持证上岗与标准化 (#20, actions 3, 7, 8): certificates (ID numbers sealed), declared special operations, the standardization record. */
export function certificateRoutes(keys: KeyRing): RouteDef[] {
  return [
    route({ method: 'GET', url: '/api/certificates', summary: 'Certificates in scope, soonest expiry first; `expiring=60` those valid today expiring within 60 days, `expired=true` those expired and not renewed. ID numbers only masked', tags, auth: 'user', query: CertificateQuery, response: { status: 200, schema: listOf(Certificate) }, handler: ({ ctx, query }) => listCertificates(ctx, query) }),
    route({ method: 'GET', url: '/api/certificates/operations', summary: 'The special operations an enterprise may declare (the catalogue in force)', tags, auth: 'user', response: { status: 200, schema: Operations }, handler: ({ ctx }) => operationCatalogue(ctx) }),
    route({ method: 'POST', url: '/api/certificates', summary: 'Record a certificate; the ID number is checked and sealed. A lapsed certificate of a declared operation puts its hazard on the ledger (source 系统核验, once); a valid one closes the holder’s', tags, auth: 'user', body: CertificateInput, response: { status: 201, schema: Recorded }, errors: ['FORBIDDEN', 'VALIDATION_FAILED', 'UNKNOWN_ENTERPRISE', 'DUPLICATE'], handler: ({ ctx, body }) => recordCertificate(ctx, keys, body) }),
    route({ method: 'GET', url: '/api/certificates/:id', summary: 'A certificate (ID number masked), its state and its lapse hazard', tags, auth: 'user', params: IdParam, response: { status: 200, schema: Certificate }, errors: ['NOT_FOUND'], handler: ({ ctx, params }) => getCertificate(ctx, params.id) }),
    route({ method: 'GET', url: '/api/enterprises/:id/special-operations', summary: 'The special operations the enterprise declares, with valid holders and open lapses', tags, auth: 'user', params: IdParam, response: { status: 200, schema: EnterpriseOperations }, errors: ['UNKNOWN_ENTERPRISE'], handler: ({ ctx, params }) => enterpriseOperations(ctx, params.id) }),
    route({ method: 'PUT', url: '/api/enterprises/:id/special-operations', summary: 'Declare the enterprise’s special operations (the whole list); lapsed certificates of a newly declared one go onto the ledger', tags, auth: 'user', params: IdParam, body: OperationsInput, response: { status: 200, schema: EnterpriseOperations }, errors: ['FORBIDDEN', 'VALIDATION_FAILED', 'UNKNOWN_ENTERPRISE'], handler: ({ ctx, params, body }) => declareOperations(ctx, params.id, body) }),
    route({ method: 'GET', url: '/api/standardizations', summary: '标准化台账: enterprises in scope by their latest standardization record — level, expiry, the re-review window, benchmarks (标杆企业)', tags, auth: 'user', query: StandardizationListQuery, response: { status: 200, schema: listOf(StandardizationListItem) }, handler: ({ ctx, query }) => listStandardizations(ctx, query) }),
    route({ method: 'GET', url: '/api/enterprises/:id/standardization', summary: '安全生产标准化: the record in force, expiry, the review window, the level the enforcement matrix reads, the history, the benchmark', tags, auth: 'user', params: IdParam, response: { status: 200, schema: Standardization }, errors: ['NOT_FOUND'], handler: ({ ctx, params }) => standardizationOf(ctx, params.id) }),
    route({ method: 'PUT', url: '/api/enterprises/:id/standardization', summary: 'Record a standardization certificate (valid three years when no end is given); name or remove the enterprise as a benchmark', tags, auth: 'user', params: IdParam, body: StandardizationInput, response: { status: 200, schema: Standardization }, errors: ['FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED'], handler: ({ ctx, params, body }) => recordStandardization(ctx, params.id, body) }),
  ];
}
