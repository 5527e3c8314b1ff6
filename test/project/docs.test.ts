// The project's documentation stands alone: every relative link in README.md and docs/ reaches a
// file (and a heading) in the repository, and nothing points at notes outside it.
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const PAGES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)]

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-')
}

function anchorsOf(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1])))
}

/** Relative link targets in a page, outside code: [text](target#anchor). */
function linksOf(markdown: string): { target: string; anchor: string | null }[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '')
  return [...prose.matchAll(/\]\(([^)\s]*)\)/g)]
    .map((m) => m[1])
    .filter((href) => !/^[a-z]+:/i.test(href))
    .map((href) => {
      const [target, anchor] = href.split('#')
      return { target, anchor: anchor ?? null }
    })
}

test('every relative link in README.md and docs/ reaches a file and heading of the repository', () => {
  assert.ok(PAGES.includes('docs/model-sets.md') && PAGES.includes('docs/store.md'), PAGES.join(', '))
  const broken: string[] = []
  for (const page of PAGES) {
    const text = readFileSync(join(ROOT, page), 'utf8')
    for (const { target, anchor } of linksOf(text)) {
      const path = target === '' ? join(ROOT, page) : resolve(dirname(join(ROOT, page)), target)
      const where = `${page} → ${target}${anchor ? `#${anchor}` : ''}`
      if (relative(ROOT, path).startsWith('..')) broken.push(`${where}: outside the repository`)
      else if (!existsSync(path)) broken.push(`${where}: no such file`)
      else if (anchor && path.endsWith('.md') && !anchorsOf(readFileSync(path, 'utf8')).has(anchor)) broken.push(`${where}: no such heading`)
    }
  }
  assert.deepEqual(broken, [])
})

test('no file of the project refers to notes kept outside it', () => {
  const outside = new RegExp(['\\.\\./shared', 'design\\.md', '/work/shared'].join('|'))
  const self = fileURLToPath(import.meta.url)
  const files = ['README.md', 'docs', 'src-main', 'src-shared', 'src-renderer/src', 'models', 'test', 'scripts', 'bin'].flatMap((entry) => {
    const path = join(ROOT, entry)
    if (entry.endsWith('.md')) return [path]
    return readdirSync(path, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && /\.(ts|js|svelte|md|py|sh|json)$/.test(e.name))
      .map((e) => join(e.parentPath, e.name))
  })
  const hits = files.filter((file) => file !== self && outside.test(readFileSync(file, 'utf8'))).map((file) => relative(ROOT, file))
  assert.deepEqual(hits, [])
})

test('link and heading parsing', () => {
  assert.equal(slug('The store'), 'the-store')
  assert.equal(slug('Set up and run'), 'set-up-and-run')
  assert.deepEqual(linksOf('see [a](docs/a.md#b-c), [web](https://x.y) and `[no](code.md)`'), [{ target: 'docs/a.md', anchor: 'b-c' }])
})
