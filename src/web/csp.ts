/**
 * The page's style nonce. The server writes a fresh one into a meta tag and into the page's
 * Content-Security-Policy (`style-src 'self' 'nonce-…'`); styles the app inserts at run time must
 * carry it. antd's CSS-in-JS takes it from ConfigProvider; a few helpers underneath (rc-util's
 * scrollbar measure) create <style> elements without asking, so every <style> the app's own
 * scripts create gets it here. Markup injected as HTML never passes through createElement: it
 * stays blocked.
 */
export const STYLE_NONCE = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content || undefined;

if (STYLE_NONCE) {
  const createElement = Document.prototype.createElement;
  Document.prototype.createElement = function (this: Document, tagName: string, options?: ElementCreationOptions) {
    const el = createElement.call(this, tagName, options);
    if (el instanceof HTMLStyleElement) el.nonce = STYLE_NONCE;
    return el;
  } as typeof createElement;
}
