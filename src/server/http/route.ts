/**
 * Routes are data: method, path, schemas, who may call, and a handler that reads like a recipe.
 * The same definitions register the Fastify handlers and produce the OpenAPI document.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ActorCtx, Ctx } from '../context';
import { isSafeText } from '../../shared/contracts/fields';
import { AppError, forbidden, notFound } from '../errors/app-error';
import { hasPermission, type Permission } from '../scope/scope';
import { unsafeTextError, validationError } from './problem';

export type Auth = 'public' | 'user' | { permission: Permission };

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface HandlerInput<A extends Auth, BS, QS, PS> {
  ctx: A extends 'public' ? Ctx : ActorCtx;
  body: Out<BS>;
  query: Out<QS>;
  params: Out<PS>;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteDef<A extends Auth = Auth, BS = unknown, QS = unknown, PS = unknown> {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  summary: string;
  description?: string;
  tags: string[];
  auth: A;
  body?: BS;
  query?: QS;
  params?: PS;
  /** Success status and body schema (none for 204). */
  response: { status: number; schema?: z.ZodType };
  /** The body is multipart/form-data (file upload), read by the handler itself. */
  multipart?: boolean;
  /** Error codes this route may answer with, for the documentation. */
  errors?: string[];
  handler(input: HandlerInput<A, BS, QS, PS>): Promise<unknown>;
}

/**
 * An answer already written as JSON (e.g. rows the database serialised itself): sent as it is,
 * with the JSON content type, instead of being serialised again.
 */
export class RawJson {
  constructor(readonly text: string) {}
}

export function route<A extends Auth, BS extends z.ZodType | undefined = undefined, QS extends z.ZodType | undefined = undefined, PS extends z.ZodType | undefined = undefined>(
  def: RouteDef<A, BS, QS, PS>,
): RouteDef {
  return def as unknown as RouteDef;
}

export interface RouteServices {
  /** Builds the command context for a request, authenticating it unless the route is public. */
  contextFor(request: FastifyRequest, needActor: boolean): Promise<Ctx>;
}

function parse(schema: unknown, value: unknown, where: 'body' | 'query') {
  if (!schema) return undefined;
  const result = (schema as z.ZodType).safeParse(value);
  if (!result.success) throw validationError(result.error, where);
  return result.data;
}

/**
 * Path parameters name a row. Broken text is refused like any input (400, naming the parameter);
 * a well-formed value of the wrong shape cannot name a row, so it answers exactly as a missing
 * row does (404) without asking the database.
 */
function parseParams(schema: unknown, value: Record<string, string>) {
  const unsafe = Object.entries(value ?? {}).find(([, v]) => typeof v === 'string' && !isSafeText(v));
  if (unsafe) throw unsafeTextError(`params.${unsafe[0]}`);
  if (!schema) return undefined;
  const result = (schema as z.ZodType).safeParse(value);
  if (!result.success) throw notFound();
  return result.data;
}

export function registerRoutes(app: FastifyInstance, defs: RouteDef[], services: RouteServices): void {
  for (const def of defs) {
    app.route({
      method: def.method,
      url: def.url,
      handler: async (request, reply) => {
        const ctx = await services.contextFor(request, def.auth !== 'public');
        if (typeof def.auth === 'object' && !(ctx.actor && hasPermission(ctx.actor, def.auth.permission))) throw forbidden();
        const params = parseParams(def.params, request.params as Record<string, string>);
        const query = parse(def.query, request.query ?? {}, 'query');
        const body = parse(def.body, request.body ?? {}, 'body');
        const result = await def.handler({ ctx: ctx as ActorCtx, body, query, params, request, reply } as HandlerInput<Auth, unknown, unknown, unknown>);
        if (def.response.status === 204) return reply.code(204).send();
        if (reply.sent) return reply;
        if (result instanceof RawJson) return reply.code(def.response.status).type('application/json; charset=utf-8').send(result.text);
        return reply.code(def.response.status).send(result);
      },
    });
  }
}

export function requireActor(ctx: Ctx): ActorCtx {
  if (!ctx.actor) throw new AppError('UNAUTHENTICATED', '请先登录', 'Please log in');
  return ctx as ActorCtx;
}

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;

/** OpenAPI 3.1 document built from the same route definitions the server runs. */
export function buildOpenApi(defs: RouteDef[], info: { title: string; version: string; description: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const def of defs) {
    const path = def.url.replace(/:(\w+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const [where, schema] of [
      ['path', def.params],
      ['query', def.query],
    ] as const) {
      if (!schema) continue;
      const js = jsonSchema(schema as z.ZodType, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(js.properties ?? {})) {
        parameters.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: s });
      }
    }
    const responses: Record<string, unknown> = {
      [def.response.status]: def.response.schema
        ? { description: 'OK', content: { 'application/json': { schema: jsonSchema(def.response.schema, 'output') } } }
        : { description: def.response.status === 204 ? 'No content' : 'The file' },
      default: {
        description: `Error as RFC 9457 problem details${def.errors?.length ? `; codes: ${def.errors.join(', ')}` : ''}`,
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      },
    };
    paths[path] ??= {};
    paths[path][def.method.toLowerCase()] = {
      summary: def.summary,
      description: def.description,
      tags: def.tags,
      security: def.auth === 'public' ? [] : [{ session: [] }, { bearer: [] }],
      parameters,
      ...(def.multipart
        ? { requestBody: { required: true, content: { 'multipart/form-data': { schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } } } } }
        : {}),
      ...(def.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(def.body as z.ZodType, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'zhiben_session',
          description: 'Web session. State-changing requests must also send the header `X-Requested-With: zhiben`.',
        },
        bearer: { type: 'http', scheme: 'bearer', description: 'API token created by an administrator (`zbt_…`).' },
      },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'code', 'detail'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            code: { type: 'string', description: 'stable machine-readable code' },
            detail: { type: 'string', description: 'message in Chinese' },
            detailEn: { type: 'string', description: 'message in English' },
            instance: { type: 'string' },
            requestId: { type: 'string' },
            errors: {
              type: 'array',
              items: { type: 'object', properties: { path: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } } },
            },
          },
        },
      },
    },
  };
}
