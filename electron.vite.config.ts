// Builds the three Electron bundles: main (with the inference worker as its own entry), the
// sandboxed preload (CommonJS, as sandboxed preloads must be) and the Svelte renderer.
import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        // The inference worker is its own entry: main starts it with utilityProcess.fork.
        input: {
          main: resolve('src-main/main.ts'),
          inferenceWorker: resolve('src-main/worker/inferenceWorker.ts'),
          // Review's margins are computed in a worker thread started from this file.
          reviewMarginWorker: resolve('src-main/app/reviewMarginWorker.ts'),
        },
        // The CLI's PDF printer (a devDependency) is never called under Electron, which prints with
        // printToPDF: left out of the bundle instead of shipping a 6 MB chunk.
        external: ['playwright-core'],
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { preload: resolve('src-main/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    plugins: [svelte()],
    build: {
      rollupOptions: { input: { index: resolve('src-renderer/index.html') } },
    },
  },
})
