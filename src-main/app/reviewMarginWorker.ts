// The worker thread that keeps Review's uncertainty order up to date: its own connection to the
// library computes the margins of each source's latest run (and of any run Review opened) under
// the profile in force, in short committed steps with a rest after each, so the host's connection
// (list pages, review windows, a running job's writes) takes its turns in between. Steps are sized
// to a lock time (marginSteps.ts); the worker checkpoints after each step, outside the lock. It
// looks again every few seconds (new results, a profile applied) and stops after its step when told to.
import { setTimeout as sleep } from 'node:timers/promises'
import { parentPort, workerData } from 'node:worker_threads'
import { BUSY_STEP_MS, FIRST_STEP_ROWS, IDLE_STEP_MS, nextStepRows } from '../review/marginSteps.ts'
import { prepareMargins, runsToPrepare } from '../review/reviewOrder.ts'
import { openStore } from '../store/index.ts'

const IDLE_MS = 2000
/** The margin index of a million images fits: its pages are not read again at every step. */
const CACHE_MIB = 64

export interface MarginWorkerData {
  readonly dbPath: string
}

let isStopped = false
/** Ends a rest at once when the host says stop. */
const stop = new AbortController()
parentPort?.on('message', (message) => {
  if (message !== 'stop') return
  isStopped = true
  stop.abort()
})
const rest = (ms: number) => sleep(ms, undefined, { signal: stop.signal }).catch(() => undefined)

async function run({ dbPath }: MarginWorkerData): Promise<void> {
  const store = openStore(dbPath, { cacheMiB: CACHE_MIB, checkpointsByHand: true })
  let rows = FIRST_STEP_ROWS
  let othersVersion = store.othersWriteVersion
  try {
    while (!isStopped) {
      let worked = false
      for (const runId of runsToPrepare(store)) {
        while (!isStopped) {
          const othersWrote = store.othersWriteVersion !== othersVersion
          const started = performance.now()
          const done = prepareMargins(store, runId, rows)
          const lockMs = performance.now() - started
          othersVersion = store.othersWriteVersion
          if (done === 0) break
          // The lock is free meanwhile: a passive checkpoint waits for no one. Only after writing:
          // the host sees a checkpoint as a change of the library (its seek tables are made again).
          store.checkpoint()
          worked = true
          rows = nextStepRows(rows, lockMs, othersWrote ? BUSY_STEP_MS : IDLE_STEP_MS)
          // Rest half as long as the lock was held: a connection waiting for it gets it in between.
          await rest(Math.max(1, lockMs / 2))
        }
      }
      if (!worked && !isStopped) await rest(IDLE_MS)
    }
  } finally {
    store.close({ checkpoint: false })
  }
}

run(workerData as MarginWorkerData).then(
  () => parentPort?.postMessage({ kind: 'stopped' }),
  (error: unknown) => parentPort?.postMessage({ kind: 'failed', message: (error as Error).message }),
)
