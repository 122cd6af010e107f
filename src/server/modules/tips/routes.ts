import { createReadStream } from 'node:fs';
import { z } from 'zod';
import { IdParam, listOf } from '../../../shared/contracts/common';
import { Id, IsoDate, Text } from '../../../shared/contracts/fields';
import {
  PublicClaimInput,
  PublicEnterprise,
  PublicEnterpriseQuery,
  PublicTipInput,
  PublicTipReceipt,
  PublicTipStatus,
  RevealedIdentity,
  RewardPayInput,
  RewardProposeInput,
  Tip,
  TipDetail,
  TipFindingsInput,
  TipFindingsResult,
  TipInput,
  TipInspectionInput,
  TipInspectionResult,
  TipInspector,
  TipLinkInput,
  TipNoteRequired,
  TipQuery,
  TipStats,
  TipStatsQuery,
  TipStepInput,
  TipVerifyInput,
} from '../../../shared/contracts/tips';
import { RateLimiter } from '../../auth/rate-limit';
import type { Config } from '../../config';
import type { Ctx } from '../../context';
import type { KeyRing } from '../../crypto/sealed';
import { AppError } from '../../errors/app-error';
import { route, type RouteDef } from '../../http/route';
import { readUpload } from '../../http/upload';
import { ruleVersions, setRule } from '../../rules/rules';
import { fileStore } from '../files/commands';
import { listRegions } from '../regions/repository';
import { inspectFromTip, listTips, recordTipFindings, stepTip, tipDetail, tipInspectors, tipPhoto, verifyTip } from './handling';
import { revealIdentity } from './identity';
import { registerTip } from './intake';
import { claimPublicReward, lookupPublicTip, MAX_TIP_PHOTO_BYTES, searchPublicEnterprises, storePublicPhoto, submitPublicTip } from './public';
import { stepReward } from './rewards';
import { TIP_REWARDS } from './rules';
import { tipStats } from './stats';

const tags = ['tips'];
const Receipt = z.object({ receipt: z.string().regex(/^[A-Za-z0-9 -]{1,40}$/, '回执号格式不正确') }).strict();
const PhotoParams = z.object({ id: Id, photoId: Id }).strict();
const NOTE_STEPS = ['accept', 'extend', 'approve_extension'] as const;
const NOTE_REQUIRED = ['decline', 'feedback', 'refuse_extension'] as const;
const RewardVersions = z.object({ items: z.array(z.object({ effectiveFrom: z.string(), value: z.unknown(), sourceNote: z.string(), setBy: z.string().nullable(), createdAt: z.string().nullable() })) });
const RewardRuleInput = z.object({ value: z.unknown(), effectiveFrom: IsoDate(), sourceNote: Text(500, { min: 1, minMessage: '请注明依据（文件名称、文号）' }) }).strict();

/** The door's limits per address, in memory (the address is never stored). */
function limits(config: Config) {
  const submit = new RateLimiter(config.TIP_SUBMIT_PER_HOUR, 3_600_000);
  const lookup = new RateLimiter(config.TIP_LOOKUP_PER_MINUTE, 60_000);
  const upload = new RateLimiter(config.TIP_UPLOAD_PER_HOUR, 3_600_000);
  // The enterprise search as one types: its own allowance (three times the lookups'), so it never uses up a lookup.
  const search = new RateLimiter(config.TIP_LOOKUP_PER_MINUTE * 3, 60_000);
  const check = (l: RateLimiter, what: string, ctx: Ctx, ip: string) => {
    const wait = l.hit(`${what}:${ip}`, ctx.now().getTime());
    if (wait > 0) throw new AppError('RATE_LIMITED', `操作过于频繁，请 ${Math.ceil(wait / 60)} 分钟后再试`, `Too many requests; try again in ${wait} s`, { headers: { 'retry-after': String(wait) } });
  };
  return { submit, lookup, upload, search, check };
}

const secretOf = (h: string | string[] | undefined) => (Array.isArray(h) ? h[0] : h);

/** 举报 (#17, measure 24): the public door (no session) and the offices' handling, identity, rewards and figures. */
export function tipRoutes(keys: KeyRing, config: Config): RouteDef[] {
  const l = limits(config);
  return [
    route({
      method: 'POST',
      url: '/api/public/tips',
      summary: '举报 Send a tip without an account; answers a receipt and a secret, shown once',
      description: 'No session is read or set. Limited per address. `website` must stay empty (it is hidden from people).',
      tags,
      auth: 'public',
      body: PublicTipInput,
      response: { status: 201, schema: PublicTipReceipt },
      errors: ['VALIDATION_FAILED', 'RATE_LIMITED'],
      handler: async ({ ctx, body, request }) => {
        l.check(l.submit, 'submit', ctx, request.ip);
        return submitPublicTip(ctx, keys, body);
      },
    }),
    route({
      method: 'GET',
      url: '/api/public/tips/:receipt',
      summary: 'A tip’s status and the office’s feedback, with the secret in the `X-Tip-Secret` header',
      description: 'An unknown receipt, a wrong secret and a receipt held after too many wrong secrets all answer the same 404.',
      tags,
      auth: 'public',
      params: Receipt,
      response: { status: 200, schema: PublicTipStatus },
      errors: ['NOT_FOUND', 'RATE_LIMITED'],
      handler: async ({ ctx, params, request }) => {
        l.check(l.lookup, 'lookup', ctx, request.ip);
        return lookupPublicTip(ctx, params.receipt, secretOf(request.headers['x-tip-secret']));
      },
    }),
    route({
      method: 'POST',
      url: '/api/public/tips/:receipt/claim',
      summary: '申领奖励 Leave how an approved reward is to be paid (sealed); secret in `X-Tip-Secret`',
      tags,
      auth: 'public',
      params: Receipt,
      body: PublicClaimInput,
      response: { status: 200, schema: PublicTipStatus },
      errors: ['NOT_FOUND', 'INVALID_TRANSITION', 'VALIDATION_FAILED', 'RATE_LIMITED'],
      handler: async ({ ctx, params, body, request }) => {
        l.check(l.lookup, 'lookup', ctx, request.ip);
        return claimPublicReward(ctx, keys, params.receipt, secretOf(request.headers['x-tip-secret']), body);
      },
    }),
    route({
      method: 'POST',
      url: '/api/public/files',
      summary: 'A photo for a tip (multipart field `file`): JPEG, PNG or WebP by content, at most 10 MB; location and device metadata dropped',
      tags,
      auth: 'public',
      multipart: true,
      response: { status: 201, schema: z.object({ id: z.string(), mime: z.string(), size: z.number() }) },
      errors: ['UNSUPPORTED_MEDIA_TYPE', 'PAYLOAD_TOO_LARGE', 'VALIDATION_FAILED', 'RATE_LIMITED'],
      handler: async ({ ctx, request }) => {
        l.check(l.upload, 'upload', ctx, request.ip);
        const { content } = await readUpload(request, MAX_TIP_PHOTO_BYTES);
        return storePublicPhoto(ctx, content);
      },
    }),
    route({
      method: 'GET',
      url: '/api/public/enterprises',
      summary: 'Find the enterprise a tip is about by name (names and districts only, at most 10)',
      tags,
      auth: 'public',
      query: PublicEnterpriseQuery,
      response: { status: 200, schema: z.object({ items: z.array(PublicEnterprise) }) },
      errors: ['VALIDATION_FAILED', 'RATE_LIMITED'],
      handler: async ({ ctx, query, request }) => {
        l.check(l.search, 'search', ctx, request.ip);
        return searchPublicEnterprises(ctx, query.q);
      },
    }),

    route({
      method: 'GET',
      url: '/api/public/districts',
      summary: 'The districts a tip can be about (codes and names), for the public door',
      tags,
      auth: 'public',
      response: { status: 200, schema: z.object({ items: z.array(z.object({ code: z.string(), name: z.string() })) }) },
      handler: async ({ ctx }) => ({ items: (await listRegions(ctx.db, { level: 'district', parent: ctx.config.CITY_CODE })).map((r) => ({ code: r.code, name: r.name })) }),
    }),

    route({ method: 'GET', url: '/api/tips', summary: '举报 Tips in scope (never the reporter), with deadlines and overdue flags', tags, auth: 'user', query: TipQuery, response: { status: 200, schema: listOf(Tip) }, handler: ({ ctx, query }) => listTips(ctx, query) }),
    route({
      method: 'POST',
      url: '/api/tips',
      summary: 'Register a tip received by phone, letter, visit or the 12345 hotline; answers the receipt and secret to give the reporter',
      tags,
      auth: 'user',
      body: TipInput,
      response: { status: 201, schema: PublicTipReceipt.extend({ id: z.string(), code: z.string() }) },
      errors: ['FORBIDDEN', 'VALIDATION_FAILED'],
      handler: ({ ctx, body }) => registerTip(ctx, keys, body),
    }),
    route({ method: 'GET', url: '/api/tips/stats', summary: '举报统计 by month, channel, category and district; each figure is a list filter with the same total', tags, auth: 'user', query: TipStatsQuery, response: { status: 200, schema: TipStats }, errors: ['FORBIDDEN', 'VALIDATION_FAILED'], handler: ({ ctx, query }) => tipStats(ctx, query) }),
    route({ method: 'GET', url: '/api/tips/:id', summary: 'A tip with its photos, findings, likely duplicates, timeline and the steps open to the caller', tags, auth: 'user', params: IdParam, response: { status: 200, schema: TipDetail }, errors: ['NOT_FOUND'], handler: ({ ctx, params }) => tipDetail(ctx, params.id) }),
    route({
      method: 'GET',
      url: '/api/tips/:id/photos/:photoId',
      summary: 'A photo the reporter sent (whoever sees the tip)',
      tags,
      auth: 'user',
      params: PhotoParams,
      response: { status: 200 },
      errors: ['NOT_FOUND'],
      handler: async ({ ctx, params, reply }) => {
        const p = await tipPhoto(ctx, params.id, params.photoId);
        reply.type(p.mime).header('content-length', p.size).header('cache-control', 'private, max-age=86400').header('x-content-type-options', 'nosniff').header('content-disposition', 'inline');
        return createReadStream(fileStore(ctx).pathFor(p.sha256));
      },
    }),
    ...NOTE_STEPS.map((action) =>
      route({ method: 'POST', url: `/api/tips/:id/actions/${action}`, summary: `Tip step: ${action}`, tags, auth: 'user', params: IdParam, body: TipStepInput, response: { status: 200, schema: TipDetail }, errors: ['FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'INVALID_TRANSITION', 'VALIDATION_FAILED'], handler: ({ ctx, params, body }) => stepTip(ctx, params.id, action, body) }),
    ),
    ...NOTE_REQUIRED.map((action) =>
      route({ method: 'POST', url: `/api/tips/:id/actions/${action}`, summary: `Tip step: ${action} (the note is what the reporter is told)`, tags, auth: 'user', params: IdParam, body: TipNoteRequired, response: { status: 200, schema: TipDetail }, errors: ['FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'INVALID_TRANSITION', 'VALIDATION_FAILED'], handler: ({ ctx, params, body }) => stepTip(ctx, params.id, action, body) }),
    ),
    route({ method: 'POST', url: '/api/tips/:id/actions/link_duplicate', summary: 'Link this tip, as a later report of the same matter, to an earlier one (only the first reporter is rewarded)', tags, auth: 'user', params: IdParam, body: TipLinkInput, response: { status: 200, schema: TipDetail }, errors: ['FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'INVALID_TRANSITION', 'VALIDATION_FAILED'], handler: ({ ctx, params, body }) => stepTip(ctx, params.id, 'link_duplicate', body) }),
    route({
      method: 'POST',
      url: '/api/tips/:id/findings',
      summary: '核查发现: hazards found while verifying, each onto the ledger now (source 举报, linked to the tip)',
      tags,
      auth: 'user',
      params: IdParam,
      body: TipFindingsInput,
      response: { status: 200, schema: TipFindingsResult },
      errors: ['FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'INVALID_TRANSITION', 'VALIDATION_FAILED', 'CLAUSE_REQUIRED', 'UNKNOWN_ENTERPRISE'],
      handler: ({ ctx, params, body }) => recordTipFindings(ctx, params.id, body),
    }),
    route({
      method: 'POST',
      url: '/api/tips/:id/inspection',
      summary: '举报核查: arrange an enforcement inspection of the tip’s enterprise (type 举报, unannounced by default), noted on the tip',
      tags,
      auth: 'user',
      params: IdParam,
      body: TipInspectionInput,
      response: { status: 201, schema: TipInspectionResult },
      errors: ['FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'INVALID_TRANSITION', 'VALIDATION_FAILED', 'UNKNOWN_ENTERPRISE'],
      handler: ({ ctx, params, body }) => inspectFromTip(ctx, params.id, body),
    }),
    route({ method: 'GET', url: '/api/tips/:id/inspectors', summary: 'The inspectors who may inspect the tip’s enterprise (none who declared a conflict with it)', tags, auth: 'user', params: IdParam, response: { status: 200, schema: z.object({ items: z.array(TipInspector) }) }, errors: ['NOT_FOUND'], handler: ({ ctx, params }) => tipInspectors(ctx, params.id) }),
    route({
      method: 'POST',
      url: '/api/tips/:id/actions/verify',
      summary: '核查办结: substantiated or not; hazards found go onto the ledger (source 举报, linked to the tip) in the same transaction',
      tags,
      auth: 'user',
      params: IdParam,
      body: TipVerifyInput,
      response: { status: 200, schema: TipFindingsResult },
      errors: ['FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'INVALID_TRANSITION', 'VALIDATION_FAILED', 'CLAUSE_REQUIRED', 'UNKNOWN_ENTERPRISE'],
      handler: ({ ctx, params, body }) => verifyTip(ctx, params.id, body),
    }),
    route({
      method: 'POST',
      url: '/api/tips/:id/identity',
      summary: '查看举报人信息 (the custodian only, one tip, with a reason; audited, the handlers are told; refusals are audited too)',
      tags,
      auth: 'user',
      params: IdParam,
      // The reason is checked by the command, so that a reveal without one is refused *and kept*.
      body: z.object({ reason: Text(500).optional() }).strict(),
      response: { status: 200, schema: RevealedIdentity },
      errors: ['FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED'],
      handler: ({ ctx, params, body }) => revealIdentity(ctx, keys, params.id, body.reason),
    }),
    route({ method: 'POST', url: '/api/tips/:id/reward/actions/propose', summary: 'Propose the reward the rule set in force on the receipt date gives (computed step by step)', tags, auth: 'user', params: IdParam, body: RewardProposeInput, response: { status: 200, schema: TipDetail }, errors: ['FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'INVALID_TRANSITION', 'VALIDATION_FAILED'], handler: ({ ctx, params, body }) => stepReward(ctx, params.id, 'propose', body) }),
    route({ method: 'POST', url: '/api/tips/:id/reward/actions/approve', summary: 'Approve the proposed reward (not its proposer)', tags, auth: 'user', params: IdParam, body: TipStepInput, response: { status: 200, schema: TipDetail }, errors: ['FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'INVALID_TRANSITION'], handler: ({ ctx, params, body }) => stepReward(ctx, params.id, 'approve', body) }),
    route({ method: 'POST', url: '/api/tips/:id/reward/actions/pay', summary: 'Record the reward’s payment (date and voucher number)', tags, auth: 'user', params: IdParam, body: RewardPayInput, response: { status: 200, schema: TipDetail }, errors: ['FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'INVALID_TRANSITION', 'VALIDATION_FAILED'], handler: ({ ctx, params, body }) => stepReward(ctx, params.id, 'pay', body) }),
    route({
      method: 'GET',
      url: '/api/reward-rules',
      summary: '举报奖励标准: every version of the reward rules, newest first, the product default (with its source) last',
      tags,
      auth: 'user',
      response: { status: 200, schema: RewardVersions },
      handler: async ({ ctx }) => ({ items: await ruleVersions(ctx.db, ctx.actor.cityCode, TIP_REWARDS) }),
    }),
    route({
      method: 'POST',
      url: '/api/reward-rules',
      summary: 'A new version of the reward rules from a date on (administrators; audited; tips received before it keep the old rules)',
      tags,
      auth: { permission: 'rules.edit' },
      body: RewardRuleInput,
      response: { status: 201, schema: RewardVersions },
      errors: ['VALIDATION_FAILED', 'DUPLICATE', 'FORBIDDEN'],
      handler: async ({ ctx, body }) => ({ items: await setRule(ctx, [TIP_REWARDS], TIP_REWARDS.key, body) }),
    }),
  ];
}

