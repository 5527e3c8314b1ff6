// The built main process's module graph, read from out/: every module each entry loads, following
// relative imports (static and dynamic) through the chunks. A crash in onnxruntime must not take
// the window down, so only the inference process may load it.
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'

const OUT_MAIN = fileURLToPath(new URL('../../out/main/', import.meta.url))

/** Import specifiers of an ES module: `from '…'`, bare `import '…'`, `import('…')`, `require('…')`. */
function specifiers(code: string): string[] {
  const pattern = /\bfrom\s*["']([^"']+)["']|\bimport\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|\brequire\s*\(\s*["']([^"']+)["']\s*\)/g
  return [...code.matchAll(pattern)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4])
}

/** The packages (bare specifiers) reachable from an entry file of the build, and the files visited. */
export function packagesReachedFrom(entry: string): { packages: Set<string>; files: Set<string> } {
  const packages = new Set<string>()
  const files = new Set<string>()
  const visit = (file: string) => {
    if (files.has(file)) return
    files.add(file)
    for (const specifier of specifiers(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier))
      else packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0])
    }
  }
  visit(entry)
  return { packages, files }
}

test('the main process never loads onnxruntime-node; the inference process does', () => {
  assert.ok(existsSync(join(OUT_MAIN, 'main.js')), 'out/main/main.js is missing: run npm run build first')
  const main = packagesReachedFrom(join(OUT_MAIN, 'main.js'))
  const worker = packagesReachedFrom(join(OUT_MAIN, 'inferenceWorker.js'))
  assert.ok(main.packages.has('electron') && main.packages.has('better-sqlite3'), 'the graph walk sees main’s own packages')
  assert.equal(main.packages.has('onnxruntime-node'), false, `main reaches onnxruntime-node through ${[...main.files].join(', ')}`)
  assert.ok(worker.packages.has('onnxruntime-node'), 'the inference process loads onnxruntime-node')
  assert.equal(worker.packages.has('electron'), false, 'the inference process runs without electron')
})

test('main bundles no devDependency: the CLI’s PDF printer stays an external import it never makes under Electron', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))
  const main = packagesReachedFrom(join(OUT_MAIN, 'main.js'))
  for (const file of main.files) assert.doesNotMatch(file, /playwright/i)
  const shipped = new Set([...Object.keys(pkg.dependencies), 'electron'])
  const notShipped = [...main.packages].filter((name) => !name.startsWith('node:') && !shipped.has(name))
  assert.deepEqual(notShipped, ['playwright-core'], 'only the printer, loaded on demand and caught when missing')
})
