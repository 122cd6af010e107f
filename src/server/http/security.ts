/**
 * Security headers on every answer (@fastify/helmet), tuned to the web app: a Content-Security-Policy
 * that allows scripts and stylesheets from this origin only — no inline script at all; the styles
 * antd writes at run time (CSS-in-JS) carry a nonce made fresh for each page; style attributes
 * (set by React and the charts) stay allowed, the one inline form that cannot run code — no framing,
 * no sniffing, no referrer, and HSTS when the cookie is secure (the installation is on HTTPS).
 */
import { randomBytes } from 'node:crypto';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config';

type Directives = Record<string, string[]>;

export function cspDirectives(nonce: string | null): Directives {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", ...(nonce ? [`'nonce-${nonce}'`] : [])],
    'style-src-attr': ["'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'worker-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
}

export const cspHeader = (d: Directives) =>
  Object.entries(d)
    .map(([k, v]) => `${k} ${v.join(' ')}`)
    .join('; ');

export async function registerSecurityHeaders(app: FastifyInstance, config: Config) {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectives(null) },
    // HTTPS only makes sense where the installation is served over it (COOKIE_SECURE says so).
    strictTransportSecurity: config.COOKIE_SECURE ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
}

/** The app's page: a fresh nonce in a meta tag (read by the web app for antd's styles) and in its policy. */
export function pageWithNonce(html: string): { html: string; csp: string } {
  const nonce = randomBytes(18).toString('base64');
  return {
    html: html.replace(/<head>/i, `<head>\n    <meta name="csp-nonce" content="${nonce}" />`),
    csp: cspHeader(cspDirectives(nonce)),
  };
}
