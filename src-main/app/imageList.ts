// One page of a source's images for the Library's virtualised list, with the shown run's classes.
import type { ClassInfo, ImagePage, ImageQuery } from '../../src-shared/apiTypes.ts'
import type { ImageTableRow, Store } from '../store/index.ts'
import { UserError } from './sources.ts'

export function listImages(store: Store, query: ImageQuery): ImagePage {
  if (!store.sources.get(query.sourceId)) throw new UserError(`no source ${query.sourceId}`)
  const runId = query.runId ?? store.imageTable.latestRunId(query.sourceId) ?? null
  const classes = runClasses(store, runId)
  const { filter } = query
  const { total, rows } = store.imageTable.page({
    sourceId: query.sourceId,
    runId,
    offset: query.offset,
    limit: query.limit,
    afterImageId: query.afterImageId ?? null,
    sort: query.sort,
    statuses: filter.statuses,
    classIds: filter.classIds,
    gateMin: filter.gateMin,
    gateMax: filter.gateMax,
    hasError: filter.hasError,
    review: filter.review ?? null,
  })
  return { sourceId: query.sourceId, runId, classes, total, offset: query.offset, rows: rows.map((row) => toImageRow(row, classes)) }
}

export function runClasses(store: Store, runId: number | null): ClassInfo[] {
  const run = runId === null ? undefined : store.runs.get(runId)
  const modelSet = run && store.modelSets.get(run.modelSetId)
  return modelSet ? modelSet.classes.map(({ id, name, color }) => ({ id, name, color })) : []
}

function toImageRow(row: ImageTableRow, classes: readonly ClassInfo[]): ImagePage['rows'][number] {
  const { image } = row
  const areaOf = new Map(row.classStats?.map((s) => [s.classId, s.areaImagePx]))
  return {
    id: image.id,
    name: image.relativePath,
    status: image.status,
    error: image.error,
    warning: image.warning,
    width: image.width,
    height: image.height,
    predictionId: row.predictionId,
    gateProbability: row.gateProbability,
    gatePassed: row.gatePassed,
    classAreasPx: row.classStats && classes.map((c) => areaOf.get(c.id) ?? 0),
    defectAreaPx: row.defectAreaPx,
    reviewStatus: row.reviewStatus,
    isEdited: row.isEdited,
  }
}
