// `npm run bench:coils`: the coil listing (the Coils view's `listCoils`) on a library grown from a
// real inspection (scaleLibrary.ts) and grouped into coils of 100 images by a name pattern, with a
// rule set active. Each repeat starts a fresh host's methods and times: the first listing, a second
// one with nothing changed, and one after a new image arrives and is sized (it joins the last coil).
// The very first listing also reports the longest the host's event loop was held by it.
// Medians over the repeats; the very first listing (the coils not yet stored) is printed once.
//
//   npm run bench:coils -- [--images 20000] [--repeats 5] [--json]
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { createCoilMethods } from '../../src-main/app/coilMethods.ts'
import { saveCoilSettings } from '../../src-main/coils/coilSettings.ts'
import { importRuleSet } from '../../src-main/coils/ruleSets.ts'
import { openStore } from '../../src-main/store/index.ts'
import { baseInspection, benchLog, median, ROOT } from './benchKit.ts'
import { growLibrary } from './scaleLibrary.ts'

const CACHE = join(ROOT, '.cache/bench-coils')
const log = benchLog('coils')

const { values: args } = parseArgs({
  options: {
    images: { type: 'string', default: '20000' },
    repeats: { type: 'string', default: '5' },
    json: { type: 'boolean', default: false },
  },
})
const images = Number(args.images)
const repeats = Number(args.repeats)
const PER_COIL = 100 // `coil-%07d.jpg`: the first five digits name the coil, the last two its place

const RULES = {
  name: 'bench', version: 1, edgeBandMm: 10,
  rules: [{ id: 'large class 3', kind: 'defectArea', classes: [3], atLeastMm2: 5000, outcome: 'reject', reason: 'a large class-3 defect' }],
}

mkdirSync(CACHE, { recursive: true })
const baseDb = await baseInspection(CACHE, log)
const db = join(CACHE, `coils-${images}.db`)
for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true })
log(`growing a library of ${images} images…`)
growLibrary({ baseDb, out: db, folder: join(CACHE, `line-${images}`), images })

const store = openStore(db)
const source = store.sources.list().find((s) => s.folderPath.endsWith(`line-${images}`))!
saveCoilSettings(store, source.id, { grouping: { kind: 'pattern', pattern: '^coil-(?<coil>\\d{5})(?<seq>\\d{2})\\.jpg$' } })
importRuleSet(store, JSON.stringify(RULES), 'the bench rule set')

const timed = async (work: () => Promise<unknown>) => {
  const start = performance.now()
  const result = await work()
  return { ms: performance.now() - start, result }
}
const author = () => 'bench'
const listCoils = (methods: ReturnType<typeof createCoilMethods>) => methods.listCoils({ sourceId: source.id })

// The longest the host is kept from answering anything else while the very first listing evaluates.
const held = monitorEventLoopDelay({ resolution: 10 })
held.enable()
const initial = await timed(() => listCoils(createCoilMethods(store, author)))
held.disable()
const { coils } = initial.result as Awaited<ReturnType<typeof listCoils>>
log(`${coils.length} coils, ${coils.reduce((n, c) => n + c.images, 0)} images in them`)

const samples = { first: [] as number[], unchanged: [] as number[], newImage: [] as number[] }
let next = images
for (let r = 0; r < repeats; r++) {
  const methods = createCoilMethods(store, author)
  samples.first.push((await timed(() => listCoils(methods))).ms)
  samples.unchanged.push((await timed(() => listCoils(methods))).ms)
  const relativePath = `coil-${String(next).padStart(7, '0')}.jpg`
  const { image } = store.images.upsert({ sourceId: source.id, relativePath, byteSize: 1, mtimeMs: 1, sha256: next.toString(16).padStart(64, '0') })
  store.images.markDone(image.id, { width: 1600, height: 256 })
  next++
  samples.newImage.push((await timed(() => listCoils(methods))).ms)
}
store.close()

const row = {
  images, coils: coils.length, repeats,
  veryFirstMs: Math.round(initial.ms),
  veryFirstHeldMs: Math.round(held.max / 1e6),
  firstMs: Math.round(median(samples.first)),
  unchangedMs: Math.round(median(samples.unchanged)),
  afterNewImageMs: Math.round(median(samples.newImage)),
}
if (args.json) console.log(JSON.stringify(row))
else {
  console.log(`listCoils over ${row.images} images in ${row.coils} coils (medians of ${repeats}, ms)`)
  console.log(`  very first (coils not yet stored)  ${row.veryFirstMs}`)
  console.log(`    host held at most, meanwhile      ${row.veryFirstHeldMs}`)
  console.log(`  first of a host                    ${row.firstMs}`)
  console.log(`  again, nothing changed             ${row.unchangedMs}`)
  console.log(`  after one new image                ${row.afterNewImageMs}`)
}
