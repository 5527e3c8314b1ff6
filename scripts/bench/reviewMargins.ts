// Review's uncertainty order at scale, on a copy of a grown library (see scaleLibrary.ts; this
// writes to the file): clears the margins, then times the first Review window with none computed,
// computing every margin of the source's latest run on one connection, a window right after a
// profile is applied, and the background worker preparing the new order while list pages are read
// (their latency then, against the same pages with the worker idle).
//   node scripts/bench/reviewMargins.ts --db .cache/library-copy.db
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'
import { warmReview } from '../../src-main/app/reviewWarmup.ts'
import { applyProfile, marginProfile, prepareMargins, profileForRun, ReviewService, saveProfile } from '../../src-main/review/index.ts'
import { openStore, type Store } from '../../src-main/store/index.ts'

const { values: args } = parseArgs({ options: { db: { type: 'string' } } })
if (!args.db) throw new Error('--db <a copy of a grown library> is required')

const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 0)} ms`
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN
const timed = <T>(work: () => T): [T, number] => {
  const started = performance.now()
  const result = work()
  return [result, performance.now() - started]
}

let started = performance.now()
const store = openStore(args.db)
console.log(`open (and migrate): ${ms(performance.now() - started)}`)
const raw = new Database(args.db)
raw.exec('DELETE FROM review_margins; DELETE FROM review_margin_sets;')
raw.close()

const source = store.sources.list().reduce((a, b) => (store.imageTable.statusCounts().filter((c) => c.sourceId === a.id).reduce((n, c) => n + c.count, 0) >= store.imageTable.statusCounts().filter((c) => c.sourceId === b.id).reduce((n, c) => n + c.count, 0) ? a : b))
const runId = store.imageTable.latestRunId(source.id)!
const predictions = store.predictions.countByRun(runId)
console.log(`source ${source.folderPath}, run ${runId}: ${predictions} predictions`)
const service = new ReviewService(store)
const open = () => service.window({ runId, sourceId: source.id, order: 'uncertainty', from: 0, limit: 50 })

const [first, firstMs] = timed(open)
console.log(`first Review open, no margins: ${ms(firstMs)} (serving ${first.preparing?.serving ?? 'the exact order'}, ${first.preparing?.percent ?? 100} %)`)

const [, allMs] = timed(() => {
  while (prepareMargins(store, runId, 5000) > 0);
})
console.log(`all margins on one connection: ${ms(allMs)} (${((allMs * 1000) / predictions).toFixed(2)} µs per prediction)`)
const [exact, exactMs] = timed(open)
console.log(`Review open, order complete: ${ms(exactMs)} (${exact.preparing ? 'preparing' : 'exact'})`)

const inForce = profileForRun(store, runId)
const strict = { ...inForce, name: `bench ${Date.now()}`, gate: inForce.gate === 0.3 ? 0.35 : 0.3, upper: [0.2, 0.4, 0.6, 0.8] }
saveProfile(store, strict)
applyProfile(store, runId, strict.name)
const [changed, changedMs] = timed(open)
console.log(`Review open right after a profile change: ${ms(changedMs)} (serving ${changed.preparing?.serving ?? 'the exact order'}, ${changed.preparing?.percent ?? 100} %)`)

const pageQuery = (offset: number) => ({ sourceId: source.id, runId: null, offset, limit: 100, sort: { key: 'name' as const, isDescending: false } })
const total = store.imageTable.page(pageQuery(0)).total
/** A list page as the host answers one: after waiting for its event loop, at a random position. */
async function listPage(): Promise<number> {
  const asked = performance.now()
  await nextTurn()
  store.imageTable.page(pageQuery(Math.floor(Math.random() * (total / 100)) * 100))
  return performance.now() - asked
}
const idle: number[] = []
for (let k = 0; k < 30; k++) idle.push(await listPage())
console.log(`list page, nothing computed: median ${ms(median(idle))}, max ${ms(Math.max(...idle))}`)

started = performance.now()
const profile = marginProfile(store, runId)
const warmup = warmReview(store)
const busy: number[] = []
while (!store.reviewQueue.progress(runId, profile).isComplete) {
  busy.push(await listPage())
  await sleep(20)
}
const workerMs = performance.now() - started
await warmup.stop()
console.log(`worker: the new profile's order complete in ${ms(workerMs)}`)
console.log(`list page while the worker computes: median ${ms(median(busy))}, max ${ms(Math.max(...busy))} (${busy.length} pages)`)
const [after, afterMs] = timed(open)
console.log(`Review open after the switch: ${ms(afterMs)} (${after.preparing ? 'preparing' : 'exact'})`)
closeAll(store)

function closeAll(s: Store) {
  s.close()
}
