import { describe, expect, it } from 'vitest';
import { hashPassword, randomPassword, verifyPassword } from './password';

describe('password hashing (scrypt)', () => {
  it('stores its parameters with the hash and verifies only the right password', async () => {
    const h = await hashPassword('correct horse 42');
    expect(h).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await verifyPassword('correct horse 42', h)).toBe(true);
    expect(await verifyPassword('correct horse 43', h)).toBe(false);
  });
  it('salts every hash', async () => {
    expect(await hashPassword('same-password-1')).not.toBe(await hashPassword('same-password-1'));
  });
  it('verifies hashes made with other parameters', async () => {
    const h = await hashPassword('older-params-9', { N: 1024, r: 8, p: 1, keylen: 32 });
    expect(await verifyPassword('older-params-9', h)).toBe(true);
  });
  it('rejects malformed stored hashes', async () => {
    expect(await verifyPassword('x', 'plain')).toBe(false);
  });
  it('makes random passwords that meet the password rule', () => {
    const p = randomPassword();
    expect(p.length).toBeGreaterThanOrEqual(10);
    expect(/[A-Za-z]/.test(p) && /\d/.test(p)).toBe(true);
  });
});
