/**
 * Sealed fields: what must never be read from a row, a dump or a backup without the key — a tip's
 * reporter, a reward claim's bank details — is stored AES-256-GCM encrypted, with the id of the key
 * that sealed it beside the ciphertext so keys can rotate (the newest seals, every kept key opens).
 * Each value is bound to where it belongs (its table, record and field, as the additional
 * authenticated data), so a ciphertext copied onto another row does not open there.
 *
 * The keys come from `ZHIBEN_FIELD_KEYS` (`id:base64,id:base64`, the first sealing), or else from
 * `field-keys.json` in the data directory, created on first start with owner-only permissions.
 * Shared machinery: it knows no module.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import path from 'node:path';

export interface KeyRing {
  /** The key new values are sealed with. */
  readonly currentId: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

export interface Sealed {
  keyId: string;
  /** base64 of iv (12 bytes) | tag (16 bytes) | ciphertext */
  sealed: string;
}

/** A value that cannot be opened: its key is not kept, or it was altered or moved. The message never carries the value. */
export class SealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealError';
  }
}

export const KEY_FILE = 'field-keys.json';
const KEY_ID = /^[A-Za-z0-9_-]{1,40}$/;

function keyOf(id: string, base64: string, where: string): Buffer {
  if (!KEY_ID.test(id)) throw new Error(`${where}: key id "${id}" must be 1–40 letters, digits, _ or -`);
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32 || key.toString('base64') !== base64.replace(/\s/g, '')) throw new Error(`${where}: key "${id}" must be 32 bytes in base64 (openssl rand -base64 32)`);
  return key;
}

/** `id:base64,id:base64` — the first seals, every one opens. */
export function parseFieldKeys(text: string): KeyRing {
  const pairs = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (!pairs.length) throw new Error('ZHIBEN_FIELD_KEYS: no key given');
  const keys = new Map<string, Buffer>();
  for (const p of pairs) {
    const colon = p.indexOf(':');
    if (colon < 1) throw new Error('ZHIBEN_FIELD_KEYS: each key is written id:base64');
    const id = p.slice(0, colon);
    if (keys.has(id)) throw new Error(`ZHIBEN_FIELD_KEYS: key id "${id}" appears twice`);
    keys.set(id, keyOf(id, p.slice(colon + 1), 'ZHIBEN_FIELD_KEYS'));
  }
  return { currentId: pairs[0].slice(0, pairs[0].indexOf(':')), keys };
}

interface KeyFile {
  current: string;
  keys: Record<string, string>;
}

const newKeyId = (now: Date) => `k${now.toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(3).toString('hex')}`;

function writeKeyFile(file: string, content: KeyFile) {
  // Written beside and renamed, so a crash never leaves half a key file; owner-only from the start.
  // Its folder made first: an app built outside `npm start` (the CLI, a bench) may name a data folder not made yet.
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

function readKeyFile(file: string): KeyFile {
  const mode = statSync(file).mode & 0o777;
  // Readable by others: make it the owner's alone before reading it (and say so).
  if (mode & 0o077) {
    chmodSync(file, 0o600);
    process.emitWarning(`${file} was readable by others (mode ${mode.toString(8)}); set to 600`);
  }
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
  if (!parsed || typeof parsed.current !== 'string' || typeof parsed.keys !== 'object' || !parsed.keys[parsed.current]) throw new Error(`${file}: not a key file (needs "current" and its key in "keys")`);
  return parsed;
}

/** The key ring of an installation: from the environment, or its key file (created with a first key when missing). */
export function loadKeyRing(config: { DATA_DIR: string; ZHIBEN_FIELD_KEYS?: string }, now = new Date()): KeyRing & { source: 'env' | 'file' | 'created' } {
  if (config.ZHIBEN_FIELD_KEYS) return { ...parseFieldKeys(config.ZHIBEN_FIELD_KEYS), source: 'env' };
  const file = path.join(config.DATA_DIR, KEY_FILE);
  let source: 'file' | 'created' = 'file';
  if (!existsSync(file)) {
    const id = newKeyId(now);
    writeKeyFile(file, { current: id, keys: { [id]: randomBytes(32).toString('base64') } });
    source = 'created';
  }
  const content = readKeyFile(file);
  return { currentId: content.current, keys: new Map(Object.entries(content.keys).map(([id, k]) => [id, keyOf(id, k, file)])), source };
}

/** Adds a new key to the key file and makes it the one that seals; the old ones stay, to open what they sealed. */
export function rotateKeyFile(dataDir: string, now = new Date()): string {
  const file = path.join(dataDir, KEY_FILE);
  const content = readKeyFile(file);
  const id = newKeyId(now);
  writeKeyFile(file, { current: id, keys: { ...content.keys, [id]: randomBytes(32).toString('base64') } });
  return id;
}

/** Seals a value for one place (`context`: table, record and field, e.g. `tips:<id>:identity`). */
export function seal(ring: KeyRing, plaintext: string, context: string): Sealed {
  const key = ring.keys.get(ring.currentId);
  if (!key) throw new SealError(`the sealing key "${ring.currentId}" is not in the key ring`);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { keyId: ring.currentId, sealed: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64') };
}

/** Opens a sealed value where it belongs; a missing key, an altered value or another place's value is refused. */
export function unseal(ring: KeyRing, value: Sealed, context: string): string {
  const key = ring.keys.get(value.keyId);
  if (!key) throw new SealError(`key "${value.keyId}" is not in the key ring: the value cannot be opened`);
  const raw = Buffer.from(value.sealed, 'base64');
  if (raw.length < 28) throw new SealError('the sealed value is damaged');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(raw.subarray(12, 28));
  try {
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    throw new SealError('the sealed value was altered, or belongs elsewhere');
  }
}
