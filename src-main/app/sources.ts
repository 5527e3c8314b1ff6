// Sources: folders the user opened, with their images counted by status. Opening a folder scans it
// (by content, as a job would), so its images are listed before any run.
import { existsSync, statSync } from 'node:fs'
import { basename, isAbsolute, resolve } from 'node:path'
import { IMAGE_STATUSES, type SourceSummary, type StatusCounts } from '../../src-shared/apiTypes.ts'
import { scanSource } from '../queue/index.ts'
import type { SourceRecord, Store } from '../store/index.ts'

export class UserError extends Error {}

/** What the Library shows of a source's watch, if it has one (see watches.ts). */
export type WatchViewOf = (source: SourceRecord) => SourceSummary['watch']

export async function openFolder(store: Store, path: string, watchView: WatchViewOf = () => null): Promise<SourceSummary> {
  if (!isAbsolute(path)) throw new UserError(`${path}: give the folder's full path`)
  const folder = resolve(path)
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UserError(`${folder}: no such folder`)
  const { source } = await scanSource(store, folder)
  return listSources(store, watchView).find((s) => s.id === source.id)!
}

export function listSources(store: Store, watchView: WatchViewOf = () => null): SourceSummary[] {
  const counts = new Map<number, Record<string, number>>()
  for (const { sourceId, status, count } of store.imageTable.statusCounts()) {
    const row = counts.get(sourceId) ?? {}
    row[status] = count
    counts.set(sourceId, row)
  }
  return store.sources.list().map((source) => ({ ...summarize(store, source, counts.get(source.id) ?? {}), watch: watchView(source) }))
}

function summarize(store: Store, source: SourceRecord, byStatus: Record<string, number>): Omit<SourceSummary, 'watch'> {
  const counts = Object.fromEntries(IMAGE_STATUSES.map((s) => [s, byStatus[s] ?? 0])) as Record<(typeof IMAGE_STATUSES)[number], number>
  const total = IMAGE_STATUSES.reduce((sum, s) => sum + counts[s], 0)
  return {
    id: source.id,
    folderPath: source.folderPath,
    name: basename(source.folderPath) || source.folderPath,
    addedAtMs: source.addedAtMs,
    counts: { ...counts, total } satisfies StatusCounts,
    latestRunId: store.imageTable.latestRunId(source.id) ?? null,
    isMissing: !existsSync(source.folderPath),
  }
}
