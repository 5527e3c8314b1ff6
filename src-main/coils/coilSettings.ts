// A source's coil settings as validated values: the stored grouping (or the default for its
// images) and geometry (or the default). A stored value that no longer validates is an error
// naming the source, never silently replaced.
import { basename } from 'node:path'
import { coilGeometrySchema, DEFAULT_GEOMETRY, type CoilGeometry } from '../../src-shared/coilGeometry.ts'
import { coilGroupingSchema, defaultGrouping, type CoilGrouping } from '../../src-shared/coilGrouping.ts'
import type { JsonValue, SourceRecord, Store } from '../store/index.ts'

export interface ResolvedCoilSettings {
  readonly grouping: CoilGrouping
  readonly geometry: CoilGeometry
  /** True when the grouping is the default rather than a stored choice. */
  readonly isDefaultGrouping: boolean
}

export function resolveCoilSettings(store: Store, source: SourceRecord, relativePaths: readonly string[]): ResolvedCoilSettings {
  const stored = store.coils.settings(source.id)
  const grouping = stored.grouping === null ? defaultGrouping(relativePaths) : parseStored(coilGroupingSchema, stored.grouping, source, 'grouping')
  const geometry = stored.geometry === null ? DEFAULT_GEOMETRY : parseStored(coilGeometrySchema, stored.geometry, source, 'geometry')
  return { grouping, geometry, isDefaultGrouping: stored.grouping === null }
}

/** Validates and stores a source's grouping and/or geometry (an omitted one keeps its value). */
export function saveCoilSettings(store: Store, sourceId: number, change: { grouping?: unknown; geometry?: unknown }): void {
  const current = store.coils.settings(sourceId)
  const grouping = change.grouping === undefined ? current.grouping : (coilGroupingSchema.parse(change.grouping) as unknown as JsonValue)
  const geometry = change.geometry === undefined ? current.geometry : (coilGeometrySchema.parse(change.geometry) as unknown as JsonValue)
  store.coils.setSettings(sourceId, { grouping, geometry })
}

/** The name a source's single coil takes: its folder's name. */
export function singleCoilName(source: SourceRecord): string {
  return basename(source.folderPath) || source.folderPath
}

function parseStored<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { message: string } } }, value: unknown, source: SourceRecord, what: string): T {
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw new Error(`${source.folderPath}: the stored coil ${what} is not valid: ${parsed.error.message}`)
  return parsed.data
}
