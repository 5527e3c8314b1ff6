// Jumps deep into Review's queue without OFFSET walking every skipped row: the uncertainty and
// name orders keep seek tables (seekTable.ts) of the served margins and of the run's images,
// built ahead in slices once a window is served. A table serves only the exact state it was made
// at (the margins' generation and mark, and the library's stamp: a replaced result may move in the
// order with the mark ending where it was); until it is made again a jump skips from the nearer
// end of the queue, so a window is always exact.
import type { Database } from 'better-sqlite3'
import { libraryChangeStamp } from './libraryChanges.ts'
import { seekPoint, type OrderWalk, type SeekTable } from './seekTable.ts'
import { SeekTables } from './seekTables.ts'

/** Where a window's rows are read from: skipping rows from the start or the end, or after an image. */
export type WindowPlacement =
  | { readonly from: 'start' | 'end'; readonly skip: number }
  | { readonly from: 'after'; readonly afterId: number; readonly skip: number }

/** The orders read along an index of their own. */
export type SeekableOrder = 'uncertainty' | 'name'

export interface QueueOrderRef {
  readonly runId: number
  readonly sourceId: number
  readonly order: SeekableOrder
  /** The served generation of margins and its mark (the uncertainty order's rows). */
  readonly generation: number
  readonly through: number
}

export interface ReviewQueueSeekOptions {
  /** Rows between the positions a seek table remembers (a jump skips fewer than this). */
  readonly seekStride?: number
  /** Milliseconds of each slice of a table built ahead between the host's calls. */
  readonly buildSliceMs?: number
}

/**
 * Where the `take` rows at `offset` of a queue of `total` rows are read from: near the start or
 * the end (within a stride, or everywhere without a table) from the nearer end, else after the
 * nearest image the table remembers before `offset`.
 */
export function placeWindow(table: Pick<SeekTable, 'stride' | 'marks'> | undefined, total: number, offset: number, take: number): WindowPlacement {
  const fromEnd = Math.max(0, total - offset - take)
  const nearerEnd: WindowPlacement = offset + take / 2 > total / 2 ? { from: 'end', skip: fromEnd } : { from: 'start', skip: offset }
  if (!table || offset < table.stride || fromEnd < table.stride) return nearerEnd
  const point = seekPoint(table, offset)
  return point.afterId === null ? nearerEnd : { from: 'after', afterId: point.afterId, skip: point.skip }
}

export function createReviewQueueSeek(db: Database, { seekStride = 256, buildSliceMs = 4 }: ReviewQueueSeekOptions = {}) {
  const stamp = libraryChangeStamp(db)
  const tables = new SeekTables({ stride: seekStride, staleFactor: 0, sliceMs: buildSliceMs, isOpen: () => db.open })
  const marginOf = db.prepare<[number, number, number], number | null>('SELECT margin FROM review_margins WHERE run_id = ? AND generation = ? AND image_id = ?').pluck()
  const pathOf = db.prepare<[number], string | null>('SELECT relative_path FROM images WHERE id = ?').pluck()
  const marginIds = (keyset: boolean) =>
    db.prepare<[Record<string, number>], number>(
      `SELECT image_id FROM review_margins WHERE run_id = @runId AND generation = @generation
       ${keyset ? 'AND (margin, image_id) > (@margin, @afterId)' : ''} ORDER BY margin, image_id LIMIT @limit`,
    ).pluck()
  const nameIds = (keyset: boolean) =>
    db.prepare<[Record<string, number | string>], number>(
      `SELECT i.id FROM images i CROSS JOIN predictions p ON p.run_id = @runId AND p.image_id = i.id
       WHERE i.source_id = @sourceId ${keyset ? 'AND i.relative_path > @path' : ''} ORDER BY i.relative_path LIMIT @limit`,
    ).pluck()
  const ids = { uncertainty: [marginIds(false), marginIds(true)], name: [nameIds(false), nameIds(true)] }

  /** Up to `limit` ids of the order right after image `afterId` (null: from its start). */
  function chunk(ref: QueueOrderRef, afterId: number | null, limit: number): number[] {
    const { runId, sourceId, generation } = ref
    if (ref.order === 'uncertainty') {
      if (afterId === null) return ids.uncertainty[0].all({ runId, generation, limit })
      const margin = marginOf.get(runId, generation, afterId)
      return margin == null ? [] : ids.uncertainty[1].all({ runId, generation, margin, afterId, limit })
    }
    if (afterId === null) return ids.name[0].all({ runId, sourceId, limit })
    const path = pathOf.get(afterId)
    return path == null ? [] : ids.name[1].all({ runId, sourceId, path, limit })
  }

  const walkOf = (ref: QueueOrderRef): OrderWalk => ({ nonEmpty: () => [true], chunk: (_segment, afterId, limit) => chunk(ref, afterId, limit) })
  const keyOf = (ref: QueueOrderRef) => `${ref.runId}:${ref.sourceId}:${ref.order}${ref.order === 'uncertainty' ? `:${ref.generation}` : ''}`
  const stampOf = (ref: QueueOrderRef) => `${stamp(false)}${ref.order === 'uncertainty' ? `:${ref.generation}:${ref.through}` : ''}`

  /** Whether image `id` comes before the image at `key` in the order (ties by image id). */
  function comesBefore(ref: QueueOrderRef, id: number, key: { readonly margin: number | null; readonly path: string; readonly imageId: number }): boolean {
    if (ref.order === 'uncertainty') {
      const margin = marginOf.get(ref.runId, ref.generation, id)
      return margin != null && key.margin !== null && (margin < key.margin || (margin === key.margin && id < key.imageId))
    }
    const path = pathOf.get(id)
    return path != null && path < key.path
  }

  return {
    /**
     * The last image the order's table remembers before the image at `key` and its position (found
     * by halving the table's marks: a dozen lookups at a million rows); undefined without a table.
     */
    markBefore(ref: QueueOrderRef, key: { readonly margin: number | null; readonly path: string; readonly imageId: number }): { afterId: number | null; position: number } | undefined {
      const table = tables.exact(keyOf(ref), stampOf(ref))
      if (!table) return undefined
      let low = 0
      let high = table.marks.length // marks[0, low) come before the image; marks[high, …) do not
      while (low < high) {
        const mid = (low + high) >> 1
        if (comesBefore(ref, table.marks[mid], key)) low = mid + 1
        else high = mid
      }
      return low === 0 ? { afterId: null, position: -1 } : { afterId: table.marks[low - 1], position: low * table.stride - 1 }
    },
    /** Where the window at `offset` is read from, by the order's table if it is made for the state now. */
    place: (ref: QueueOrderRef, total: number, offset: number, take: number): WindowPlacement =>
      placeWindow(tables.exact(keyOf(ref), stampOf(ref)), total, offset, take),
    /** Starts making the order's table between the host's calls, unless made or too short to need one. */
    buildAhead: (ref: QueueOrderRef, total: number): void => tables.buildAhead(keyOf(ref), stampOf(ref), total, () => walkOf(ref)),
    /** Resolves when the tables under way are made. */
    builtAhead: (): Promise<void> => tables.builtAhead(),
  }
}
