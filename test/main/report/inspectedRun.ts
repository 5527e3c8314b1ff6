// A real inspection for the report tests: synthetic coils (with their truth beside them) run by the
// job queue, the inference process and models/default. The report tests share one such inspection
// and the libraries grown from it in SQL (as the scale bench grows its own), each made once per
// test run; every test file opens a private copy of the database, so none sees another's changes.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { JobQueue } from '../../../src-main/queue/index.ts'
import { openStore, type Store } from '../../../src-main/store/index.ts'
import { writeSynthFolder } from '../../../src-main/synth/index.ts'
import { growLibrary } from '../../../scripts/bench/scaleLibrary.ts'
import { oncePerRun } from '../../helpers/runCache.ts'

const DEFAULT_MODELS = fileURLToPath(new URL('../../../models/default', import.meta.url))
/** The shift every report test starts from: 30 coil images, defective and clean. */
const SHIFT = { count: 30, seed: 11 }

export interface InspectedRun {
  readonly folder: string
  readonly sourceId: number
  readonly runId: number
}

async function inspectRun(store: Store, folder: string, options: { count: number; seed: number }): Promise<InspectedRun> {
  await writeSynthFolder(folder, { count: options.count, seed: options.seed, concurrency: 2 })
  const queue = new JobQueue(store)
  const { id } = queue.enqueue({ folder, modelsDir: DEFAULT_MODELS, provider: 'cpu', threads: 1 })
  await queue.idle()
  queue.close()
  const job = queue.get(id)!
  if (job.state !== 'done') throw new Error(`the inspection did not finish: ${job.state} ${job.message ?? ''}`)
  return { folder, sourceId: job.sourceId!, runId: job.runId! }
}

/** The shared shift inspected: its closed database (copy it before writing) and its run. */
async function sharedShift(): Promise<{ dbPath: string; run: InspectedRun }> {
  const dir = await oncePerRun(`report-shift-${SHIFT.count}-${SHIFT.seed}`, async (into) => {
    const store = openStore(join(into, 'shift.db'))
    const run = await inspectRun(store, join(into, 'coils'), SHIFT)
    store.close()
    writeFileSync(join(into, 'run.json'), JSON.stringify(run))
  })
  return { dbPath: join(dir, 'shift.db'), run: JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) }
}

/** The shared shift in a database of the caller's own at `dbPath`; its images stay in the shared folder (read only). */
export async function copyOfShift(dbPath: string): Promise<InspectedRun> {
  const shared = await sharedShift()
  copyFileSync(shared.dbPath, dbPath)
  return shared.run
}

/**
 * The shift grown to `images` in one new source of an empty folder (scaleLibrary.ts: three runs, the
 * last at 20 images per second), copied to `dbPath`; returns the new source's folder.
 */
export async function copyOfGrownLibrary(images: number, dbPath: string): Promise<{ folder: string }> {
  const shift = await sharedShift()
  const dir = await oncePerRun(`report-grown-${images}`, async (into) => {
    growLibrary({ baseDb: shift.dbPath, out: join(into, 'grown.db'), folder: join(into, 'line'), images })
  })
  copyFileSync(join(dir, 'grown.db'), dbPath)
  return { folder: join(dir, 'line') }
}
