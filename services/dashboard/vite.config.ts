/**
 * Builds the dashboard into dist/: hashed, immutable assets under dist/assets/ and index.html.
 * Everything is bundled (no CDN, no web fonts): the hub runs on networks without internet.
 * No inline script or style ends up in the output, so the page runs under
 * `Content-Security-Policy: default-src 'self'`.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  // The pure domain code (USCC check, event types, agencies) is shared with the API, file by file.
  resolve: { alias: { '@domain': fileURLToPath(new URL('../../shared/domain/src', import.meta.url)) } },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // No inline data: URIs (CSP img-src/font-src 'self') and no modulepreload polyfill script.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
    sourcemap: false,
  },
  server: {
    // `npm run dev` proxies the API to a running hub.
    proxy: { '/v1': 'http://127.0.0.1:8080', '/healthz': 'http://127.0.0.1:8080' },
  },
});
