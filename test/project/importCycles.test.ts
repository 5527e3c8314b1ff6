// No module imports itself through others: a cycle makes load order matter (a value read before
// its module finished loading is undefined) and ties modules that should stand alone.
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const SOURCE_ROOTS = ['src-main', 'src-shared', 'src-renderer/src']

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|svelte)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
}

/** Relative imports and re-exports of a module (type-only ones too: they still couple the files). */
function relativeImports(file: string, text: string): string[] {
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/g)]
    .map((match) => resolve(dirname(file), match[1]))
    .filter((path) => existsSync(path))
}

/** Every cycle found by a depth-first walk, each as the chain of files that closes it. */
function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const cycles: string[][] = []
  const visit = (node: string): void => {
    state.set(node, 'open')
    stack.push(node)
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next])
      else if (!state.has(next)) visit(next)
    }
    stack.pop()
    state.set(node, 'done')
  }
  for (const node of graph.keys()) if (!state.has(node)) visit(node)
  return cycles
}

test('the sources import one another without cycles', () => {
  const files = SOURCE_ROOTS.flatMap((root) => sourceFiles(join(ROOT, root)))
  const graph = new Map(files.map((file) => [file, relativeImports(file, readFileSync(file, 'utf8'))]))
  const cycles = findCycles(graph).map((cycle) => cycle.map((file) => relative(ROOT, file)).join(' → '))
  assert.deepEqual(cycles, [])
})

test('a cycle is found, however long', () => {
  const graph = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]])
  assert.deepEqual(findCycles(graph), [['a', 'b', 'c', 'a']])
  assert.deepEqual(findCycles(new Map([['a', ['b']], ['b', []]])), [])
})

test('type-only imports and re-exports count as imports', () => {
  const here = fileURLToPath(import.meta.url)
  const text = "import type { X } from './importCycles.test.ts'\nexport { y } from '../project/npmScripts.test.ts'\nimport z from 'node:fs'"
  assert.deepEqual(relativeImports(here, text).map((p) => relative(dirname(here), p)), ['importCycles.test.ts', 'npmScripts.test.ts'])
})
