// A real inspection for the report tests: synthetic coils (with their truth beside them) run by the
// job queue, the inference process and models/default, into the given store.
import { fileURLToPath } from 'node:url'
import { JobQueue } from '../../../src-main/queue/index.ts'
import type { Store } from '../../../src-main/store/index.ts'
import { writeSynthFolder } from '../../../src-main/synth/index.ts'

const DEFAULT_MODELS = fileURLToPath(new URL('../../../models/default', import.meta.url))

export interface InspectedRun {
  readonly folder: string
  readonly sourceId: number
  readonly runId: number
}

export async function inspectRun(store: Store, folder: string, options: { count: number; seed: number }): Promise<InspectedRun> {
  await writeSynthFolder(folder, { count: options.count, seed: options.seed, concurrency: 2 })
  const queue = new JobQueue(store)
  const { id } = queue.enqueue({ folder, modelsDir: DEFAULT_MODELS, provider: 'cpu', threads: 1 })
  await queue.idle()
  queue.close()
  const job = queue.get(id)!
  if (job.state !== 'done') throw new Error(`the inspection did not finish: ${job.state} ${job.message ?? ''}`)
  return { folder, sourceId: job.sourceId!, runId: job.runId! }
}
