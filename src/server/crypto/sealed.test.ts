import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { KEY_FILE, SealError, loadKeyRing, parseFieldKeys, rotateKeyFile, seal, unseal } from './sealed';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'zhiben-keys-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const SECRET = '举报人 张三 13800138000';

describe('sealed fields (AES-256-GCM, key id beside the value)', () => {
  it('seals a value unreadably and opens it only where it belongs', () => {
    const ring = parseFieldKeys(`k1:${randomBytes(32).toString('base64')}`);
    const s = seal(ring, SECRET, 'tips:t1:identity');
    expect(s.keyId).toBe('k1');
    // Neither the text nor any recognisable part of it is in what is stored.
    const stored = Buffer.from(s.sealed, 'base64');
    expect(stored.includes(Buffer.from('13800138000'))).toBe(false);
    expect(stored.includes(Buffer.from('张三'))).toBe(false);
    expect(unseal(ring, s, 'tips:t1:identity')).toBe(SECRET);
    // The same value sealed twice differs (a fresh nonce each time).
    expect(seal(ring, SECRET, 'tips:t1:identity').sealed).not.toBe(s.sealed);
    // Copied onto another record, or altered by one bit: refused, and the error does not carry the value.
    expect(() => unseal(ring, s, 'tips:t2:identity')).toThrow(SealError);
    const raw = Buffer.from(s.sealed, 'base64');
    raw[raw.length - 1] ^= 1;
    const altered = () => unseal(ring, { ...s, sealed: raw.toString('base64') }, 'tips:t1:identity');
    expect(altered).toThrow(SealError);
    try {
      altered();
    } catch (err) {
      expect(String((err as Error).message)).not.toContain('13800138000');
    }
    expect(() => unseal(ring, { ...s, keyId: 'k9' }, 'tips:t1:identity')).toThrow(/k9/);
  });

  it('creates the key file on first start, owner-only, and keeps using it', () => {
    const dir = tempDir();
    const first = loadKeyRing({ DATA_DIR: dir });
    expect(first.source).toBe('created');
    expect(statSync(path.join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    const again = loadKeyRing({ DATA_DIR: dir });
    expect(again.source).toBe('file');
    expect(again.currentId).toBe(first.currentId);
    const s = seal(first, SECRET, 'x');
    expect(unseal(again, s, 'x')).toBe(SECRET);
    // A key file others could read is made the owner's alone.
    chmodSync(path.join(dir, KEY_FILE), 0o644);
    loadKeyRing({ DATA_DIR: dir });
    expect(statSync(path.join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
  });

  it('makes the data folder when it does not exist yet (an app built without `npm start`, e.g. a bench on PostgreSQL)', () => {
    const dir = path.join(tempDir(), 'not', 'made', 'yet');
    expect(existsSync(dir)).toBe(false);
    const ring = loadKeyRing({ DATA_DIR: dir });
    expect(ring.source).toBe('created');
    expect(statSync(path.join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(loadKeyRing({ DATA_DIR: dir }).currentId).toBe(ring.currentId);
  });

  it('a rotation seals with the new key and still opens what the old one sealed', () => {
    const dir = tempDir();
    const before = loadKeyRing({ DATA_DIR: dir }, new Date('2026-01-01T00:00:00Z'));
    const old = seal(before, SECRET, 'tips:t1:identity');
    const id = rotateKeyFile(dir, new Date('2026-12-05T00:00:00Z'));
    const after = loadKeyRing({ DATA_DIR: dir });
    expect(after.currentId).toBe(id);
    expect(id).not.toBe(before.currentId);
    expect(after.keys.size).toBe(2);
    expect(unseal(after, old, 'tips:t1:identity')).toBe(SECRET);
    expect(seal(after, SECRET, 'y').keyId).toBe(id);
    expect(JSON.parse(readFileSync(path.join(dir, KEY_FILE), 'utf8')).current).toBe(id);
  });

  it('keys from the environment come first, the first sealing; a bad key is refused with a clear message', () => {
    const k1 = randomBytes(32).toString('base64');
    const k2 = randomBytes(32).toString('base64');
    const dir = tempDir();
    const ring = loadKeyRing({ DATA_DIR: dir, ZHIBEN_FIELD_KEYS: `new:${k2},old:${k1}` });
    expect(ring.source).toBe('env');
    expect(ring.currentId).toBe('new');
    const byOld = seal(parseFieldKeys(`old:${k1}`), SECRET, 'z');
    expect(unseal(ring, byOld, 'z')).toBe(SECRET);
    expect(() => parseFieldKeys('short:AAAA')).toThrow(/32 bytes/);
    expect(() => parseFieldKeys(`a:${k1},a:${k2}`)).toThrow(/twice/);
    expect(() => parseFieldKeys(k1)).toThrow(/id:base64/);
    // A damaged key file is named, not silently replaced.
    writeFileSync(path.join(dir, KEY_FILE), '{"current":"x","keys":{}}');
    expect(() => loadKeyRing({ DATA_DIR: dir })).toThrow(/not a key file/);
  });
});
