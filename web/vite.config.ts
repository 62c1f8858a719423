import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// Two static pages (the chat and the curator console) built into dist/web, served by `npm start`.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  logLevel: 'warn',
  build: {
    outDir: resolve(import.meta.dirname, '..', 'dist', 'web'),
    emptyOutDir: true,
    // No inline module-preload polyfill, so the CSP needs no 'unsafe-inline'.
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: {
        index: resolve(import.meta.dirname, 'index.html'),
        curate: resolve(import.meta.dirname, 'curate.html'),
      },
    },
  },
});
