// Finding what a database holds for the commands that read it (export, report): the database
// itself, a source, and a run with results for it. Each problem is a one-line usage error.
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { openStore, StoreOpenError, type SourceRecord, type Store } from '../store/index.ts'
import { UsageError } from './usageError.ts'

/** Opens a database that must already exist; a missing or unusable one is a usage error. */
export function openExisting(path: string): Store {
  const dbPath = resolve(path)
  if (!existsSync(dbPath)) throw new UsageError(`${dbPath}: no such database`)
  try {
    return openStore(dbPath)
  } catch (error) {
    throw new UsageError(error instanceof StoreOpenError ? error.message : `${dbPath}: ${(error as Error).message}`)
  }
}

/**
 * The source (`--source`, or the database's only one) and the run (`--run`, or the source's latest
 * run, as the Library shows it) a command reads.
 */
export function pickSourceAndRun(store: Store, options: { readonly source?: string; readonly run?: number }): { source: SourceRecord; runId: number } {
  const source = pickSource(store, options.source)
  const runId = options.run ?? latestRun(store, source)
  requireRun(store, runId)
  return { source, runId }
}

export function pickSource(store: Store, folder: string | undefined): SourceRecord {
  const sources = store.sources.list()
  if (folder) {
    const source = store.sources.findByPath(resolve(folder))
    if (!source) throw new UsageError(`${resolve(folder)} is not a source in ${store.path}; sources: ${sources.map((s) => s.folderPath).join(', ') || 'none'}`)
    return source
  }
  if (sources.length !== 1) throw new UsageError(`${store.path} has ${sources.length} sources; choose one with --source (${sources.map((s) => s.folderPath).join(', ')})`)
  return sources[0]
}

/** The run the Library shows for the source. */
function latestRun(store: Store, source: SourceRecord): number {
  const runId = store.imageTable.latestRunId(source.id)
  if (runId === undefined) throw new UsageError(`${store.path} has no results for ${source.folderPath}`)
  return runId
}

function requireRun(store: Store, runId: number): void {
  if (!store.runs.get(runId)) throw new UsageError(`${store.path} has no run ${runId}; runs: ${store.runs.list().map((r) => r.id).join(', ') || 'none'}`)
}
