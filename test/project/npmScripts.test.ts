// Every npm script must run on a fresh clone: npm puts node_modules/.bin on the PATH, but it links a
// package's own `bin` only for the packages that depend on it, never for the package itself.
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: Record<string, string>; bin: Record<string, string> }
/** Commands every machine that runs npm has. */
const ALWAYS_THERE = new Set(['npm', 'node', 'npx', 'sh', 'bash', 'cd', 'echo', 'test', 'true', 'false'])

/** The program each simple command of a script line starts (environment assignments skipped). */
function programsOf(script: string): string[] {
  return script
    .split(/&&|\|\||;|\|/)
    .map((part) => part.trim().split(/\s+/).find((word) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) ?? '')
    .filter((word) => word !== '')
}

test('every npm script starts programs a fresh clone has', () => {
  const problems: string[] = []
  for (const [name, script] of Object.entries(pkg.scripts)) {
    for (const program of programsOf(script)) {
      if (program in pkg.bin) problems.push(`${name}: calls its own bin "${program}", which npm does not link for the package itself`)
      else if (!ALWAYS_THERE.has(program) && !existsSync(`${ROOT}node_modules/.bin/${program}`)) problems.push(`${name}: "${program}" is not in node_modules/.bin`)
    }
  }
  assert.deepEqual(problems, [])
})

test('every `npm run <name>` inside a script names a script that exists', () => {
  const missing = Object.entries(pkg.scripts).flatMap(([name, script]) =>
    [...script.matchAll(/npm run ([\w:-]+)/g)].filter((m) => !(m[1] in pkg.scripts)).map((m) => `${name}: npm run ${m[1]}`),
  )
  assert.deepEqual(missing, [])
})

test('the programs of a script line are found behind &&, || and environment assignments', () => {
  assert.deepEqual(programsOf('FOO=1 coilscope demo && npm run x || tsc -b; a | b'), ['coilscope', 'npm', 'tsc', 'a', 'b'])
})
