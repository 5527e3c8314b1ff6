// `npm run bench:scale`: the library at line scale. Libraries of 10k, 100k and 1M images in one
// source are grown from a real inspection (scaleLibrary.ts); each is then opened by fresh
// `coilscope serve` processes and driven over the real WebSocket with the page's own bridge, the
// calls the page makes: open the library, open a source, list pages at the start, middle and end
// under each sort and filter (jumps by offset, and the next page after a row), open Review (its
// queue window and first image), the next image. Exports run as `coilscope export` processes with
// their peak RSS. Warm medians; the 10k→largest ratios are printed beside.
//
//   npm run bench:scale -- [--sizes 10000,100000,1000000] [--processes 3] [--repeats 3] [--regrow] [--skip-exports] [--json]
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import { WebSocket } from 'ws'
import type { CoilscopeApi, ImageFilter, ImageQuery, ImageSortKey } from '../../src-shared/api.ts'
import { installBridge, SOCKET_PATH } from '../../src-main/web/bridgeClient.ts'
import { API_EVENTS, API_METHODS } from '../../src-shared/api.ts'
import { baseInspection, benchLog, BIN, median, ROOT } from './benchKit.ts'
import { TreeSampler } from './procTree.ts'
import { growLibrary } from './scaleLibrary.ts'

const CACHE = join(ROOT, '.cache/bench-scale')
const log = benchLog('scale')

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000,1000000' },
    processes: { type: 'string', default: '3' },
    repeats: { type: 'string', default: '3' },
    regrow: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    'skip-exports': { type: 'boolean', default: false },
  },
})
const sizes = args.sizes.split(',').map(Number)
const processes = Number(args.processes)
const repeats = Number(args.repeats)

const EMPTY: ImageFilter = { statuses: [], classIds: [], gateMin: null, gateMax: null, hasError: null }
/** The list configurations measured: each sort unfiltered, then each filter under a sort it is used with. */
const LISTS: [string, ImageSortKey, boolean, ImageFilter][] = [
  ['name', 'name', false, EMPTY],
  ['status', 'status', false, EMPTY],
  ['gate ↓', 'gateProbability', true, EMPTY],
  ['area ↓', 'defectArea', true, EMPTY],
  ['name, status done', 'name', false, { ...EMPTY, statuses: ['done'] }],
  ['name, errors only', 'name', false, { ...EMPTY, hasError: true }],
  ['name, class 3', 'name', false, { ...EMPTY, classIds: [3] }],
  ['area ↓, class 1 or 4', 'defectArea', true, { ...EMPTY, classIds: [1, 4] }],
  ['gate ↓, gate ≥ 0.9', 'gateProbability', true, { ...EMPTY, gateMin: 0.9 }],
  ['name, review flagged', 'name', false, { ...EMPTY, review: 'flagged' }],
  ['name, review unreviewed', 'name', false, { ...EMPTY, review: 'unreviewed' }],
  ['name, review edited', 'name', false, { ...EMPTY, review: 'edited' }],
  ['status, review flagged', 'status', false, { ...EMPTY, review: 'flagged' }],
  ['gate ↓, review flagged', 'gateProbability', true, { ...EMPTY, review: 'flagged' }],
]
const PAGE = 100
/** The Review page reads its queue in pages of this many (QueuePages). */
const REVIEW_PAGE = 100
/** How long the inspector looks at the first image before jumping deep into the queue. */
const REVIEW_LOOK_MS = 3000

type Row = Map<string, number>

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'out/renderer/index.html'))) throw new Error('the renderer is not built: run `npm run build` first')
  mkdirSync(CACHE, { recursive: true })
  const baseDb = await baseInspection(CACHE, log)
  const results = new Map<number, Row>()
  for (const size of sizes) {
    const db = join(CACHE, `library-${size}.db`)
    if (args.regrow || !existsSync(db)) {
      rmSync(db, { force: true })
      log(`growing ${size} images…`)
      const started = performance.now()
      growLibrary({ baseDb, out: db, folder: join(CACHE, `line-${size}`), images: size })
      log(`grown in ${((performance.now() - started) / 1000).toFixed(0)} s`)
    }
    results.set(size, await measure(db, size))
    printTable(results)
  }
  if (args.json) process.stdout.write(`${JSON.stringify(Object.fromEntries([...results].map(([s, r]) => [s, Object.fromEntries(r)])), null, 2)}\n`)
}

async function measure(db: string, size: number): Promise<Row> {
  const samples = new Map<string, number[]>()
  const add = (name: string, ms: number) => samples.set(name, [...(samples.get(name) ?? []), ms])
  for (let p = 0; p < processes; p++) {
    const server = await startServe(db)
    add('serve ready', server.readyMs)
    try {
      await driveApi(server.api, size, add, p === 0)
    } finally {
      await server.stop() // its close (a checkpoint) must not land in the next process's measurements
    }
  }
  const row: Row = new Map([...samples].map(([name, values]) => [name, median(values)]))
  for (const what of args['skip-exports'] ? [] : (['csv', 'coco'] as const)) {
    const result = await exportProcess(db, what)
    row.set(`export ${what} (s)`, result.seconds * 1000)
    row.set(`export ${what} peak RSS (MB)`, result.peakMb)
  }
  row.set('db bytes per image', statSync(db).size / size)
  return row
}

async function driveApi(api: CoilscopeApi, size: number, add: (name: string, ms: number) => void, isFirstProcess: boolean): Promise<void> {
  const time = async <T>(name: string, call: () => Promise<T>, showFirst = false): Promise<T> => {
    let result!: T
    const times: number[] = []
    for (let r = 0; r < repeats; r++) {
      const started = performance.now()
      result = await call()
      times.push(performance.now() - started)
    }
    add(name, median(times.slice(repeats > 1 ? 1 : 0))) // warm: the first call is left out
    // The first deep jump of an order in a process makes its seek table (kept until the library changes).
    if (showFirst) add(`${name.replace('(jump)', '(first jump)')}`, times[0])
    return result
  }
  const sources = await time('open the library (listSources)', () => api.listSources())
  const source = sources.find((s) => s.counts.total === size)!
  const query = (sort: ImageSortKey, isDescending: boolean, filter: ImageFilter, offset: number, afterImageId: number | null = null): ImageQuery => ({
    sourceId: source.id, runId: null, offset, limit: PAGE, sort: { key: sort, isDescending }, filter, afterImageId,
  })
  await time('open a source (first page)', () => api.listImages(query('name', false, EMPTY, 0)))
  for (const [label, sort, isDescending, filter] of LISTS) {
    const first = await time(`list ${label}: start`, () => api.listImages(query(sort, isDescending, filter, 0)))
    const middle = Math.floor(first.total / 2 / PAGE) * PAGE
    const end = Math.max(0, Math.ceil(first.total / PAGE) * PAGE - PAGE)
    const jumped = await time(`list ${label}: middle (jump)`, () => api.listImages(query(sort, isDescending, filter, middle)), true)
    await time(`list ${label}: end (jump)`, () => api.listImages(query(sort, isDescending, filter, end)))
    const last = jumped.rows.at(-1)
    // A list that ends within the middle page has no page after it (the table shows –).
    if (last && middle + PAGE < first.total) await time(`list ${label}: next page after middle`, () => api.listImages(query(sort, isDescending, filter, middle + PAGE, last.id)))
  }
  const runId = source.latestRunId!
  if (isFirstProcess) {
    // The first window after the library grew: a worker computes the margins in the background from
    // serve's start; until they are complete the window answers at once in file order (and says so).
    const started = performance.now()
    const first = await api.listReviewWindow({ runId, sourceId: source.id, order: 'uncertainty', from: 0, limit: 50 })
    const state = first.preparing ? `order being prepared, ${first.preparing.percent} %: ${first.preparing.serving} served` : 'uncertainty order ready'
    log(`${size} images, first Review open: ${state}`)
    add('first Review open (margins computed in the background since serve started)', performance.now() - started)
  }
  // What the page does: its first page of the queue (QueuePages' PAGE_SIZE), then the first image.
  const window = await time('open Review (queue window + first image)', async () => {
    const opened = await api.listReviewWindow({ runId, sourceId: source.id, order: 'uncertainty', from: 0, limit: REVIEW_PAGE })
    await api.getReviewImage({ runId, imageId: opened.items[0].imageId })
    return opened
  })
  let k = 1
  await time('next image (getReviewImage)', () => api.getReviewImage({ runId, imageId: window.items[k++ % window.items.length].imageId }))
  const middle = Math.floor(window.total / 2)
  const jumpToMiddle = () => api.listReviewWindow({ runId, sourceId: source.id, order: 'uncertainty', from: middle, limit: REVIEW_PAGE })
  // Straight after opening, the order's seek table is not made: the jump skips from the nearer end.
  const started = performance.now()
  await jumpToMiddle()
  add('Review window at the middle, straight after opening', performance.now() - started)
  // The inspector looks at the image a moment: the host, idle, makes the seek tables meanwhile.
  await sleep(REVIEW_LOOK_MS)
  const atMiddle = await time('Review window at the middle', jumpToMiddle)
  await time('Review: the page after (keyset)', () =>
    api.listReviewWindow({ runId, sourceId: source.id, order: 'uncertainty', from: middle + REVIEW_PAGE, limit: REVIEW_PAGE, afterImageId: atMiddle.items.at(-1)!.imageId }),
  )
  await time('Review: where an image sits (middle)', () => api.locateInReviewQueue({ runId, sourceId: source.id, order: 'uncertainty', imageId: atMiddle.items[0].imageId }))
  await time('Review: next unreviewed (from the middle)', () => api.searchReviewQueue({ runId, sourceId: source.id, order: 'uncertainty', match: 'unreviewed', from: middle, limit: 1 }))
}

async function startServe(db: string): Promise<{ readyMs: number; api: CoilscopeApi; stop: () => Promise<void> }> {
  const started = performance.now()
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', db], { stdio: ['ignore', 'pipe', 'inherit'] })
  let stdout = ''
  const url = await new Promise<URL>((resolveUrl, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d
      const found = /http:\/\/\S+/.exec(stdout)
      if (found) resolveUrl(new URL(found[0]))
    })
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stdout}`)))
  })
  const readyMs = performance.now() - started
  const page: Record<string, unknown> = {
    location: { protocol: 'http:', host: url.host, search: url.search },
    WebSocket,
    setTimeout: (callback: () => void, ms: number) => setTimeout(callback, ms).unref(),
  }
  installBridge(page as never, { methods: API_METHODS, events: API_EVENTS, socketPath: SOCKET_PATH })
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  return { readyMs, api: page.coilscope as CoilscopeApi, stop: () => (child.kill('SIGTERM'), exited) }
}

async function exportProcess(db: string, what: 'csv' | 'coco'): Promise<{ seconds: number; peakMb: number }> {
  const out = join(CACHE, `export.${what === 'csv' ? 'csv' : 'json'}`)
  rmSync(out, { force: true })
  const folder = join(CACHE, `line-${db.match(/library-(\d+)/)![1]}`)
  const started = performance.now()
  const child = spawn(process.execPath, [BIN, 'export', '--db', db, '--what', what, '--out', out, '--source', folder], { stdio: ['ignore', 'ignore', 'pipe'] })
  const sampler = new TreeSampler(child.pid!)
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += d))
  const code = await new Promise<number | null>((done) => child.on('exit', done))
  const memory = sampler.stop()
  if (code !== 0) throw new Error(`export ${what} failed: ${stderr}`)
  rmSync(out, { force: true })
  return { seconds: (performance.now() - started) / 1000, peakMb: memory.peakRssSumBytes / 1e6 }
}

function printTable(results: Map<number, Row>): void {
  const sizesDone = [...results.keys()]
  // Every row measured at any size (a short list has no "next page" at 10k), in the largest size's order.
  const names = [...new Set([...sizesDone].reverse().flatMap((size) => [...results.get(size)!.keys()]))]
  const header = ['', ...sizesDone.map((s) => `${s.toLocaleString('en')} images`), sizesDone.length > 1 ? `${sizesDone.at(-1)! / sizesDone[0]}× ratio` : '']
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`]
  for (const name of names) {
    const values = sizesDone.map((s) => results.get(s)!.get(name))
    const unit = name.includes('(MB)') || name.includes('bytes') ? '' : name.includes('(s)') ? ' s' : ' ms'
    const shown = values.map((v) => (v === undefined ? '–' : unit === ' s' ? `${(v / 1000).toFixed(1)} s` : `${v < 10 ? v.toFixed(2) : v.toFixed(0)}${unit}`))
    const ratio = values.length > 1 && values[0] && values.at(-1) ? (values.at(-1)! / values[0]).toFixed(2) : ''
    lines.push(`| ${name} | ${shown.join(' | ')} | ${ratio} |`)
  }
  const text = lines.join('\n')
  process.stdout.write(`\n${text}\n`)
  writeFileSync(join(CACHE, 'latest.md'), `${text}\n`)
}

await main()
