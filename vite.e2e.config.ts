// The renderer as the end-to-end tests drive it: the same app plus its test hooks (mode 'e2e', see
// src-renderer/src/testHooks.ts), built to out/renderer-e2e beside the app's out/renderer, which
// never has them. `npm run build` makes both; `coilscope serve --renderer-dir` serves this one.
import { resolve } from 'node:path'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'vite'

export default defineConfig({
  root: 'src-renderer',
  base: './',
  mode: 'e2e',
  plugins: [svelte()],
  logLevel: 'warn',
  build: {
    outDir: resolve('out/renderer-e2e'),
    emptyOutDir: true,
    rollupOptions: { input: { index: resolve('src-renderer/index.html') } },
  },
})
