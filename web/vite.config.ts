import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

/**
 * The screens (issue #4): one Preact SPA built into web/dist, served by `shikaku serve` at `/`.
 * It imports pure rules from src/domain (check digits, dated measures), bundled like any module.
 */
export default defineConfig({
  base: '/',
  plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
