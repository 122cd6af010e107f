import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { uuidv7 } from 'uuidv7';
import { actorForApiToken, actorForSession, SESSION_COOKIE } from './auth/service';
import { RateLimiter } from './auth/rate-limit';
import { authRoutes } from './auth/routes';
import type { Config } from './config';
import type { Ctx } from './context';
import type { Database } from './db/database';
import { databaseErrorCode } from './db/dialect';
import { AppError } from './errors/app-error';
import { sendProblem, toAppError } from './http/problem';
import { buildOpenApi, registerRoutes, type RouteDef } from './http/route';
import { pageWithNonce, registerSecurityHeaders } from './http/security';
import { auditRoutes } from './modules/audit/routes';
import { departmentRoutes } from './modules/departments/routes';
import { dictionaryRoutes } from './modules/dictionaries/dictionaries';
import { enterpriseRoutes } from './modules/enterprises/routes';
import { MAX_UPLOAD_BYTES } from './modules/files/commands';
import { fileRoutes } from './modules/files/routes';
import { LedgerCache } from './modules/hazards/cache';
import { hazardRoutes } from './modules/hazards/routes';
import { dashboardRoutes } from './modules/dashboard/routes';
import { exportRoutes } from './modules/exports/routes';
import { healthRoutes } from './modules/health/routes';
import { importRoutes } from './modules/imports/routes';
import { industryRoutes } from './modules/industries/routes';
import { notificationRoutes } from './modules/notifications/routes';
import { regionRoutes } from './modules/regions/routes';
import { reportRoutes } from './modules/reports/routes';
import { standardRoutes } from './modules/standards/routes';
import { userRoutes } from './modules/users/routes';
import { HAZARD_RULES } from './modules/hazards/rules';
import { ruleRoutes } from './rules/routes';
import { selfCheckRoutes } from './modules/selfchecks/routes';
import { selfCheckDocumentRoutes } from './modules/selfchecks/document-routes';
import { enforcementRoutes } from './modules/enforcement/routes';
import { expertRoutes } from './modules/experts/routes';
import { agencyRoutes } from './modules/agencies/routes';
import { AGENCY_RULES } from './modules/agencies/watch';
import { tipRoutes } from './modules/tips/routes';
import { TIP_RULES } from './modules/tips/rules';
import { taskRoutes } from './modules/tasks/routes';
import { FIVE_LEAD_ITEMS } from './modules/tasks/five-leads';
import { accidentRoutes } from './modules/accidents/routes';
import { riskRoutes } from './modules/risks/routes';
import { certificateRoutes } from './modules/certificates/routes';
import { trainingRoutes } from './modules/training/routes';
import { campaignRoutes } from './modules/campaigns/routes';
import { TARGET_ORIGIN } from './modules/campaigns/campaigns';
import { TRAINING_FOCUS, TRAINING_HOURS } from './modules/training/rules';
import { CERTIFICATE_WATCH, SPECIAL_OPERATIONS } from './modules/certificates/rules';
import { RISK_METHOD_RULE } from './modules/risks/methods';
import { assessmentRoutes } from './modules/assessment/routes';
import { ACCIDENT_REPORTING, ACCIDENT_THRESHOLDS } from './modules/accidents/rules';
import { loadKeyRing, type KeyRing } from './crypto/sealed';
import { ENFORCEMENT_RULES } from './modules/enforcement/provisions';
import { inspectionFindingMoved } from './modules/enforcement/tallies';
import { observeOrigin, originParent, showOriginTo } from './records/origins';
import { handlesTips } from './scope/scope';
import { registerMetrics } from './ops/metrics';

export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'x-requested-with';
export const CSRF_VALUE = 'zhiben';

export interface AppOptions {
  config: Config;
  database: Database;
  /** Injected clock for tests; defaults to the wall clock. */
  now?: () => Date;
  logger?: boolean;
  /** Where log lines go (one JSON object per line); standard output unless given. */
  logStream?: { write(line: string): void };
  serveWeb?: boolean;
  /** Where the built web app is (tests serve a page of their own). */
  webDist?: string;
  /** The keys of sealed fields (crypto/sealed.ts); read from the configuration unless given. */
  keyRing?: KeyRing;
}

declare module 'fastify' {
  interface FastifyRequest {
    usesSessionCookie: boolean;
  }
}

// Modules that keep figures about their findings hear of the ledger's steps (records/origins.ts).
observeOrigin('inspection', inspectionFindingMoved);
// A tip is its handlers' business: the enterprise (and an expert) learn a hazard's source, not the tip.
showOriginTo('tip', handlesTips);
// A campaign target's findings link back to their campaign.
originParent(TARGET_ORIGIN, async (db, id) => (await db.selectFrom('campaign_targets').select('campaign_id').where('id', '=', id).executeTakeFirst())?.campaign_id ?? null);

/**
 * A request as the log keeps it. The address only of a signed-in caller (a session cookie or a
 * token): a reporter opening the tip door — its page, assets, the session check, the door's API —
 * is never tied to an address; and the door's receipts stay out of the logged URLs.
 */
const SESSION_COOKIE_SENT = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=`);
function logRequest(req: FastifyRequest) {
  const signedIn = !!req.headers.authorization || SESSION_COOKIE_SENT.test(req.headers.cookie ?? '');
  const url = req.url.startsWith('/api/public/tips/') ? (req.routeOptions?.url ?? '/api/public/tips/…') : req.url;
  return { method: req.method, url, ...(signedIn ? { remoteAddress: req.ip } : {}) };
}

export function allRoutes(limiter: RateLimiter, ledgerCache: LedgerCache | null, keys: KeyRing, config: Config): RouteDef[] {
  return [
    ...healthRoutes,
    ...authRoutes(limiter),
    ...regionRoutes,
    ...industryRoutes,
    ...standardRoutes,
    ...departmentRoutes,
    ...enterpriseRoutes,
    ...userRoutes,
    ...auditRoutes,
    ...fileRoutes,
    ...hazardRoutes(ledgerCache),
    ...dashboardRoutes(ledgerCache),
    ...exportRoutes,
    ...notificationRoutes,
    ...dictionaryRoutes,
    ...importRoutes,
    ...reportRoutes,
    ...selfCheckRoutes,
    ...enforcementRoutes,
    ...expertRoutes,
    ...agencyRoutes,
    ...tipRoutes(keys, config),
    ...taskRoutes,
    ...accidentRoutes,
    ...assessmentRoutes,
    ...riskRoutes,
    ...certificateRoutes(keys),
    ...trainingRoutes,
    ...campaignRoutes,
    ...selfCheckDocumentRoutes,
    ...ruleRoutes([...HAZARD_RULES, ...ENFORCEMENT_RULES, ...AGENCY_RULES, ...TIP_RULES, FIVE_LEAD_ITEMS, ACCIDENT_THRESHOLDS, ACCIDENT_REPORTING, RISK_METHOD_RULE, SPECIAL_OPERATIONS, CERTIFICATE_WATCH, TRAINING_FOCUS, TRAINING_HOURS]),
  ];
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const { config, database } = opts;
  const now = opts.now ?? (() => new Date());
  const app = Fastify({
    logger:
      opts.logger === false
        ? false
        : {
            level: config.LOG_LEVEL,
            redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-tip-secret"]'],
            serializers: { req: logRequest },
            ...(opts.logStream ? { stream: opts.logStream } : {}),
          },
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    genReqId: () => uuidv7(),
    // Malformed URLs the router itself refuses answer as problem+json like every other error.
    frameworkErrors: (err, request, reply) => sendProblem(request, reply, toAppError(err)),
  });
  app.decorateRequest('usesSessionCookie', false);
  await app.register(cookie);
  await registerSecurityHeaders(app, config);
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5 } });

  const limiter = new RateLimiter(config.LOGIN_RATE_PER_MINUTE, 60_000);
  const routes = allRoutes(limiter, config.LEDGER_CACHE ? new LedgerCache() : null, opts.keyRing ?? loadKeyRing(config), config);

  const baseCtx = (request: FastifyRequest): Ctx => ({
    db: database.db,
    dialect: database.dialect,
    config,
    actor: null,
    requestId: request.id,
    ip: request.ip ?? null,
    now,
    inTransaction: false,
  });

  // Cross-site request forgery: a browser sends the session cookie on its own, but never a
  // custom header on a cross-site form post; so a state change riding on the cookie needs it.
  app.addHook('onRequest', async (request) => {
    const bearer = /^Bearer\s+/i.test(request.headers.authorization ?? '');
    request.usesSessionCookie = !bearer && !!request.cookies[SESSION_COOKIE];
    if (request.usesSessionCookie && !SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== CSRF_VALUE) {
      throw new AppError('CSRF_REQUIRED', '请求缺少防跨站伪造标头，请刷新页面后重试', `Missing the anti-CSRF header (${CSRF_HEADER}: ${CSRF_VALUE})`);
    }
  });

  app.setErrorHandler((err, request, reply) => {
    const appError = toAppError(err);
    // The log keeps what the answer must not: the cause, and the database's own code for it.
    if (appError.code === 'INTERNAL') request.log.error({ err, requestId: request.id, dbCode: databaseErrorCode(err) }, 'unhandled error');
    return sendProblem(request, reply, appError);
  });

  // Operations view: every answer counted, GET /api/metrics behind METRICS_TOKEN (ops/metrics.ts).
  registerMetrics(app, { token: config.METRICS_TOKEN, database });

  const apiNotFound = (request: FastifyRequest) =>
    new AppError('NOT_FOUND', `接口不存在：${request.method} ${request.url.split('?')[0]}`, `No such endpoint: ${request.method} ${request.url.split('?')[0]}`);

  await app.register(swagger, {
    mode: 'static',
    specification: {
      document: buildOpenApi(routes, {
        title: 'Zhiben 治本 API',
        version: '0.1.0',
        description: '安全生产治本攻坚三年行动 — major accident hazard database and dynamic zero-clearing. Errors are RFC 9457 problem details with a stable `code`.',
      }) as never,
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerRoutes(app, routes, {
    async contextFor(request, needActor) {
      const ctx = baseCtx(request);
      if (!needActor) return ctx;
      const auth = request.headers.authorization;
      if (auth && /^Bearer\s+/i.test(auth)) {
        ctx.actor = await actorForApiToken(database.db, auth.replace(/^Bearer\s+/i, '').trim(), now());
        if (!ctx.actor) throw new AppError('INVALID_TOKEN', 'API 令牌无效、已过期或已撤销', 'The API token is invalid, expired or revoked');
        return ctx;
      }
      const token = request.cookies[SESSION_COOKIE];
      if (token) ctx.actor = await actorForSession(database.db, token, now(), config.SESSION_IDLE_MINUTES);
      if (!ctx.actor) {
        throw token
          ? new AppError('SESSION_EXPIRED', '登录已过期，请重新登录', 'Your session has expired; please log in again')
          : new AppError('UNAUTHENTICATED', '请先登录', 'Please log in');
      }
      return ctx;
    },
  });

  const webDist = opts.webDist ?? WEB_DIST;
  const serveWeb = opts.serveWeb ?? existsSync(path.join(webDist, 'index.html'));
  if (serveWeb) {
    // Wildcard, so assets built after start are served too. The page itself is answered below, with
    // its nonce: never as a static file.
    await app.register(fastifyStatic, { root: webDist, prefix: '/', wildcard: true, index: false, allowedPath: (p) => p !== '/index.html' });
  }
  const sendPage = async (reply: FastifyReply) => {
    const page = pageWithNonce(await readFile(path.join(webDist, 'index.html'), 'utf8'));
    return reply.header('content-security-policy', page.csp).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page.html);
  };
  if (serveWeb) app.get('/', { schema: { hide: true } }, (_request, reply) => sendPage(reply));
  app.setNotFoundHandler((request, reply) => {
    const p = request.url.split('?')[0];
    // A missing asset is a 404, never the app's page (a browser would run HTML as a script).
    const isFile = p !== '/index.html' && (p.startsWith('/assets/') || /\.[a-z0-9]{1,8}$/i.test(p));
    if (p.startsWith('/api/') || p === '/api' || !serveWeb || request.method !== 'GET' || isFile) {
      return sendProblem(request, reply, apiNotFound(request));
    }
    // Client-side routes: the single-page app answers every other GET.
    return sendPage(reply);
  });

  return app;
}
