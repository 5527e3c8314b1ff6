// Review while a folder fills: a reviewer works in Review (the renderer built with its test hooks,
// Debian's Chromium, `coilscope serve`) on an inspected folder while a camera writes images into a
// watched folder, and the benchmark prints, phase by phase, what the reviewer feels — the next
// image (→ to the new image painted with its overlays, after a look at each image), Review opened
// (tab click to its image painted), a brush stroke (pointer down to the mask painted; release to
// the host's reply to its save) — beside the images/s arriving and inspected, the backlog at the
// end, the load average, and the host's round trip to a ping every 200 ms (a blocked event loop
// shows there). Numbers, not assertions.
//
//   npm run bench:review-watch -- [--seconds 45] [--rate 4] [--phases quiet,app,headless]
//                                 [--overload-rate 2×rate] [--count 40] [--write-ms 400] [--look-ms 400]
//                                 [--profile-serve <dir>] (V8 CPU profiles of serve, written when it stops)
//                                 [--prefill N] (each watched folder first holds N sidecar .txt files, as
//                                 a folder late in a shift holds thousands of files: the watch skips them,
//                                 but its watcher reads the whole folder again as files arrive)
//
// Phases: quiet (nothing arrives); app (the source set to watch through setSourceWatch, the call the
// Library's toggle makes, so the watch runs inside serve); overload (the same at --overload-rate);
// headless (a separate `coilscope watch --db <same db>` process). Each watched phase fills a folder
// of its own, and starts once its first image is inspected (the models loaded).
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'
import type { Page } from 'playwright-core'
import { inspectedLibrary, launchBrowser, reviewerPage, ROOT, serve, showReview, type InspectedLibrary } from '../../test/e2e/harness.ts'
import { arrivalsFor, writeArrivals, writeSlowly, type ImageBytes } from './cameraWriter.ts'
import { HostProbe } from './hostProbe.ts'
import { canvasOf, recordInputTimes, SaveWatcher, timeNextImage, timeReviewOpen, timeStroke } from './reviewerTimings.ts'
import { reviewTable, type PhaseResult, type ReviewerTimings } from './reviewWatchTable.ts'

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '45' },
    rate: { type: 'string', default: '4' },
    'overload-rate': { type: 'string' },
    phases: { type: 'string', default: 'quiet,app,headless' },
    count: { type: 'string', default: '40' },
    'write-ms': { type: 'string', default: '400' },
    'look-ms': { type: 'string', default: '400' },
    seed: { type: 'string', default: '11' },
    'profile-serve': { type: 'string' },
    prefill: { type: 'string', default: '0' },
  },
})
const seconds = Number(args.seconds)
const rate = Number(args.rate)
const overloadRate = args['overload-rate'] === undefined ? 2 * rate : Number(args['overload-rate'])
const writeMs = Number(args['write-ms'])
const lookMs = Number(args['look-ms'])
const prefill = Number(args.prefill)
const PHASES = ['quiet', 'app', 'overload', 'headless'] as const
type PhaseName = (typeof PHASES)[number]
const phases = args.phases!.split(',') as PhaseName[]
for (const phase of phases) if (!PHASES.includes(phase)) throw new Error(`--phases: ${phase} is not one of ${PHASES.join(', ')}`)
const BIN = join(ROOT, 'bin', 'coilscope.js')
const log = (line: string) => process.stderr.write(`bench: ${line}\n`)
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))
const load = () => loadavg()[0]

type Bridge = { coilscope: Record<string, (input?: unknown) => Promise<any>> }
const call = <T>(page: Page, method: string, input?: unknown): Promise<T> =>
  page.evaluate(({ method, input }) => (globalThis as unknown as Bridge).coilscope[method](input), { method, input })

/** The names of the images of `folder` with a result in the library. */
function inspectedNames(dbPath: string, folder: string, sinceMs = 0): Set<string> {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true })
  try {
    const rows = db
      .prepare('SELECT i.relative_path AS name FROM predictions p JOIN images i ON i.id = p.image_id JOIN sources s ON s.id = i.source_id WHERE s.folder_path IN (?, ?) AND p.created_at_ms >= ?')
      .all(folder, realpathSync(folder), sinceMs) as { name: string }[]
    return new Set(rows.map((r) => r.name))
  } finally {
    db.close()
  }
}

/** The camera's sidecar files, already in the folder before the watch starts. */
function writeSidecars(folder: string): void {
  mkdirSync(folder)
  for (let i = 0; i < prefill; i++) writeFileSync(join(folder, `frame-${String(i).padStart(6, '0')}.txt`), `exposure_us=80\nline_speed_mpm=120\n`)
}

/** Writes one image and waits for its result: the watch is up and its models are loaded. */
async function warmUp(library: InspectedLibrary, folder: string, image: ImageBytes): Promise<void> {
  await writeSlowly(join(folder, `warm-up-${image.name}`), image.bytes, writeMs)
  const deadline = Date.now() + 180_000
  while (inspectedNames(library.dbPath, folder).size === 0) {
    if (Date.now() > deadline) throw new Error(`nothing inspected in ${folder} after 3 minutes`)
    await sleep(250)
  }
}

/** Starts `coilscope watch` on `folder` with the library's database; resolves once it watches. */
async function startHeadlessWatch(library: InspectedLibrary, folder: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'watch', folder, '--db', library.dbPath, '--models', library.models.dir, '--provider', 'cpu', '--status-every', '3600'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d) => (stderr += d).includes('Ctrl+C') && resolve())
    child.once('exit', (code) => reject(new Error(`coilscope watch exited with ${code}: ${stderr}`)))
  })
  return child
}

/** Until `untilMs`: look at an image, then → to the next; every fourth step a stroke, every eighth Review opened again. */
async function review(page: Page, saves: SaveWatcher, untilMs: number): Promise<ReviewerTimings> {
  const timings: ReviewerTimings = { next: [], open: [], strokePaint: [], strokeSave: [] }
  for (let step = 0; Date.now() < untilMs; step++) {
    await page.waitForTimeout(lookMs)
    if (step % 8 === 7) timings.open.push(await timeReviewOpen(page, 300))
    else if (step % 4 === 1) {
      const stroke = await timeStroke(page, saves)
      timings.strokePaint.push(stroke.paintMs)
      timings.strokeSave.push(stroke.saveMs)
    } else timings.next.push(await timeNextImage(page))
  }
  return timings
}

async function runPhase(name: PhaseName, library: InspectedLibrary, page: Page, saves: SaveWatcher, probe: HostProbe, images: readonly ImageBytes[]): Promise<PhaseResult> {
  const phaseRate = name === 'quiet' ? 0 : name === 'overload' ? overloadRate : rate
  const folder = join(library.work, `line-${name}`)
  let stopWatch = async () => {}
  if (name === 'app' || name === 'overload') {
    writeSidecars(folder)
    const source = await call<{ id: number }>(page, 'openFolder', { path: folder })
    await call(page, 'setSourceWatch', { sourceId: source.id, isWatched: true, modelSetDir: library.models.dir, provider: 'cpu' })
    stopWatch = async () => {
      await call(page, 'setSourceWatch', { sourceId: source.id, isWatched: false, modelSetDir: null, provider: 'cpu' })
      // The job stops after the image in hand; the next phase starts without it.
      for (let k = 0; k < 120 && (await call<{ state: string }[]>(page, 'listJobs')).some((j) => j.state === 'running'); k++) await sleep(500)
    }
  } else if (name === 'headless') {
    writeSidecars(folder)
    const child = await startHeadlessWatch(library, folder)
    stopWatch = async () => {
      const exited = new Promise((done) => child.once('exit', done))
      child.kill('SIGINT')
      await exited
    }
  }
  if (phaseRate > 0) await warmUp(library, folder, images[0])
  await canvasOf(page).focus()
  // What opening Review started (its run's metrics, the margins) is not counted in the phase.
  await probe.settled()

  log(`${name}: ${phaseRate > 0 ? `${phaseRate} images/s arriving` : 'nothing arriving'} for ${seconds} s (load ${load().toFixed(1)}; monotonic clock ${process.hrtime.bigint() / 1000n} µs, as in the CPU profiles)`)
  const startedAt = Date.now()
  const arrivals = phaseRate > 0 ? arrivalsFor(images, phaseRate, seconds) : []
  const writing = phaseRate > 0 ? writeArrivals(folder, arrivals, phaseRate, writeMs, startedAt) : Promise.resolve(new Map<string, number>())
  const timings = await review(page, saves, startedAt + seconds * 1000)
  const completed = await writing
  const endedAt = Date.now()
  const inspectedInPhase = phaseRate > 0 ? inspectedNames(library.dbPath, folder, startedAt).size : 0
  const inspectedArrivals = phaseRate > 0 ? [...inspectedNames(library.dbPath, folder)].filter((n) => completed.has(n)).length : 0
  const result: PhaseResult = {
    name,
    rate: phaseRate,
    seconds: (endedAt - startedAt) / 1000,
    arrived: completed.size,
    inspected: inspectedInPhase,
    backlog: completed.size - inspectedArrivals,
    load: load(),
    timings,
    pings: probe.between(startedAt, endedAt),
  }
  const queued = await page.evaluate(() => (globalThis as unknown as { coilscopeReview: { queueTotal: number } }).coilscopeReview.queueTotal)
  log(`  Review's queue at the end: ${queued} images (the inspected folder's ${images.length})`)
  for (const slow of probe.pings.filter((p) => p.atMs >= startedAt && p.atMs <= endedAt && p.roundTripMs > 250)) {
    log(`  host slow to answer at ${((slow.atMs - startedAt) / 1000).toFixed(1)} s: ${slow.roundTripMs.toFixed(0)} ms`)
  }
  await stopWatch()
  return result
}

async function main(): Promise<void> {
  log(`${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
  const library = await inspectedLibrary('review-watch', { folder: 'coils', count: Number(args.count), seed: Number(args.seed), defectRate: 0.5 })
  const images = readdirSync(library.folder).filter((n) => n.endsWith('.jpg')).sort().map((name) => ({ name, bytes: readFileSync(join(library.folder, name)) }))
  // --profile-serve <dir>: serve (and its children) write V8 CPU profiles there when they exit.
  const nodeOptions = process.env.NODE_OPTIONS
  if (args['profile-serve']) process.env.NODE_OPTIONS = `${nodeOptions ?? ''} --cpu-prof --cpu-prof-dir=${resolve(args['profile-serve'])}`.trim()
  const serving = serve(['--db', library.dbPath, '--models-root', library.models.root])
  if (nodeOptions === undefined) delete process.env.NODE_OPTIONS
  else process.env.NODE_OPTIONS = nodeOptions
  const server = await serving
  const browser = await launchBrowser()
  const probe = await HostProbe.start(server.url)
  try {
    const page = await reviewerPage(browser, server, 'Bench Reviewer')
    const saves = new SaveWatcher(page)
    await page.reload() // the socket opened again, now with the saves watched on it
    await showReview(page)
    await recordInputTimes(page)
    const results: PhaseResult[] = []
    for (const name of phases) results.push(await runPhase(name, library, page, saves, probe, images))
    process.stdout.write(`${reviewTable(results, { count: images.length, lookMs, writeMs, prefill, cores: cpus().length })}\n`)
  } finally {
    probe.stop()
    await browser.close()
    await server.stop()
    rmSync(library.work, { recursive: true, force: true })
  }
}

await main()
