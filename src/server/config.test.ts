import { describe, expect, it } from 'vitest';
import { loadConfig, parseDotEnv } from './config';

describe('configuration', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ HOST: '127.0.0.1', PORT: 8080, CITY_CODE: '310000', LOGIN_MAX_FAILURES: 5, COOKIE_SECURE: false });
    expect(c.DATA_DIR).toMatch(/\/data$/);
  });
  it('names every bad variable', () => {
    expect(() => loadConfig({ PORT: 'x', DATABASE_URL: 'mysql://h/db', ZHIBEN_ADMIN_PASSWORD: 'short' })).toThrow(/PORT[\s\S]*DATABASE_URL[\s\S]*ZHIBEN_ADMIN_PASSWORD|PORT[\s\S]*ZHIBEN_ADMIN_PASSWORD[\s\S]*DATABASE_URL/);
  });
  it('parses .env files with comments and quotes', () => {
    expect(parseDotEnv('# c\nPORT=9000\nHOST="0.0.0.0"\nEMPTY=\n  LOG_LEVEL = debug \n')).toEqual({ PORT: '9000', HOST: '0.0.0.0', LOG_LEVEL: 'debug' });
  });
});
