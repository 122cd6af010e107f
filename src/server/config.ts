import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const EnvSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL; leave it unset for the embedded SQLite database')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ZHIBEN_ADMIN_PASSWORD: z.string().min(10, 'ZHIBEN_ADMIN_PASSWORD must have at least 10 characters').optional(),
  ZHIBEN_DEMO_PASSWORD: z.string().min(10, 'ZHIBEN_DEMO_PASSWORD must have at least 10 characters').default('Zhiben-demo-2026'),
  CITY_CODE: z.string().regex(/^\d{6}$/).default('310000'),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(120),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).default(12),
  COOKIE_SECURE: bool.default(false),
  TRUST_PROXY: bool.default(false),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).default(15),
  LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /** The public tip door, per address: tips sent per hour, receipt lookups per minute, photos per hour. */
  TIP_SUBMIT_PER_HOUR: z.coerce.number().int().min(1).default(10),
  TIP_LOOKUP_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  TIP_UPLOAD_PER_HOUR: z.coerce.number().int().min(1).default(30),
  /** Wrong secrets for one receipt before its lookups are held (15 minutes, doubling with each further failure). */
  TIP_LOOKUP_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  LEDGER_CACHE: bool.default(true),
  /** Bearer token that GET /api/metrics requires; unset, the metrics are off. */
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must have at least 16 characters').optional(),
  /** How often a server process tells the others sharing the database it is alive; one silent for three beats is gone, and the jobs it held are marked interrupted. */
  HEARTBEAT_MS: z.coerce.number().int().min(100).default(10_000),
  /** Rows an import commits per transaction (default: 5,000 on SQLite, 20,000 on PostgreSQL); smaller batches hold locks shorter and let a stop come sooner. */
  IMPORT_BATCH_ROWS: z.coerce.number().int().min(1).max(100_000).optional(),
  /** Keys that seal identity fields (`id:base64,id:base64`, the first sealing); unset, `field-keys.json` in DATA_DIR is made on first start. */
  ZHIBEN_FIELD_KEYS: z.string().regex(/^[A-Za-z0-9_-]{1,40}:[A-Za-z0-9+/=]{44}(,\s*[A-Za-z0-9_-]{1,40}:[A-Za-z0-9+/=]{44})*$/, 'ZHIBEN_FIELD_KEYS must be id:base64 pairs (32-byte keys), separated by commas').optional(),
  /** On SIGTERM: how long requests in flight may take to finish before their connections are closed. */
  STOP_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /** Server processes sharing the port (`auto`: one per core, at most 8). Each opens the database itself; SQLite's WAL lets their reads run side by side. */
  WORKERS: z
    .string()
    .regex(/^(auto|[1-9]|[1-5][0-9]|6[0-4])$/, 'WORKERS must be auto or a number from 1 to 64')
    .default('1'),
});

export type Config = z.infer<typeof EnvSchema>;

/** Reads `.env` (if present) under real environment variables; nothing else reads process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  // `.env` supplements the real environment only; an explicit env (tests, tools) stands alone.
  const fileVars = env === process.env && existsSync('.env') ? parseDotEnv(readFileSync('.env', 'utf8')) : {};
  const parsed = EnvSchema.safeParse({ ...fileVars, ...stripEmpty(env) });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const config = { ...parsed.data, ...overrides };
  return { ...config, DATA_DIR: path.resolve(config.DATA_DIR) };
}

function stripEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

export function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq < 1) continue;
    let value = line.slice(eq + 1).trim();
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    if (value !== '') out[line.slice(0, eq).trim()] = value;
  }
  return out;
}
