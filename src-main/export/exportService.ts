// One entry point for every export, for the CLI, the app's Export screen and the web host: a plain
// request in, a plain record of what was written out. Each kind writes atomically — a file through
// a temporary file, a folder through a temporary folder — so a failure leaves nothing behind, and
// nothing that was there is replaced unless the request says `overwrite`.
import { stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { ExportKindName } from '../../src-shared/exportTypes.ts'
import type { SeverstalFormat } from '../../src-shared/severstalCsv.ts'
import type { Store } from '../store/index.ts'
import { TargetExistsError, writeDirAtomic, writeFileAtomic } from './atomicWrite.ts'
import { toCocoDataset } from './cocoExport.ts'
import { selectForExport, type ExportSelection, type MaskSource, type RejectedPolicy } from './exportSelection.ts'
import { writeClassMaskPngs, writeIndexedMaskPngs, type MaskFolderSummary } from './maskPngExport.ts'
import { formatReviewsCsv } from './reviewsExport.ts'
import { formatSelectionCsv } from './severstalExport.ts'

export { EXPORT_KINDS } from '../../src-shared/exportTypes.ts'
export type ExportKind = ExportKindName

export interface ExportRequest {
  readonly what: ExportKind
  /** A file for csv, coco and reviews; a folder for png and indexed-png (new, or empty). */
  readonly out: string
  /**
   * Replace an existing file; for a folder, write into it even when it has files, replacing only
   * those of the names the export writes (nothing else is deleted). Default false: refuse.
   */
  readonly overwrite?: boolean
  readonly sourceId: number
  readonly runId: number
  /** csv only; default 'kaggle2019'. */
  readonly format?: SeverstalFormat
  /** Default 'model'. Reviews ignore it. */
  readonly masks?: MaskSource
  /** Reviewed masks only: a saved profile's name; default the profile applied to the run. */
  readonly profileName?: string
  /** Default: 'include' for model masks, 'exclude' for reviewed. Reviews list every image. */
  readonly rejected?: RejectedPolicy
  /** Time recorded in the COCO header; default now. */
  readonly now?: Date
}

export interface ExportResult {
  readonly what: ExportKind
  /** The file or folder written. */
  readonly path: string
  readonly runId: number
  readonly masks: MaskSource
  readonly profile: string | null
  readonly rejected: RejectedPolicy
  /** Images written. */
  readonly images: number
  /** Rejected images left out or emptied. */
  readonly rejectedImages: number
  /** Non-empty (image, class) masks written (0 for reviews). */
  readonly nonEmptyMasks: number
  /** Files written: 1, or the folder's files including its sidecar. */
  readonly files: number
}

type Writer = (store: Store, selection: ExportSelection, request: ExportRequest) => Promise<MaskFolderSummary>

const WRITERS: Record<ExportKind, Writer> = {
  csv: async (_store, selection, request) => {
    await writeFileAtomic(request.out, formatSelectionCsv(selection, request.format ?? 'kaggle2019'), request)
    return { files: 1, nonEmptyMasks: countNonEmpty(selection) }
  },
  png: (_store, selection, request) => writeDirAtomic(request.out, (dir) => writeClassMaskPngs(dir, selection), request),
  'indexed-png': (_store, selection, request) => writeDirAtomic(request.out, (dir) => writeIndexedMaskPngs(dir, selection), request),
  coco: async (_store, selection, request) => {
    const dataset = toCocoDataset(selection, request.now ?? new Date())
    await writeFileAtomic(request.out, `${JSON.stringify(dataset)}\n`, request)
    return { files: 1, nonEmptyMasks: dataset.annotations.length }
  },
  reviews: async (store, selection, request) => {
    await writeFileAtomic(request.out, formatReviewsCsv(store, selection), request)
    return { files: 1, nonEmptyMasks: 0 }
  },
}

/** Writes one export; rejects with a message naming the path and the reason when it cannot. */
export async function runExport(store: Store, request: ExportRequest): Promise<ExportResult> {
  const isReviews = request.what === 'reviews'
  const selection = selectForExport(store, {
    sourceId: request.sourceId,
    runId: request.runId,
    masks: isReviews ? 'model' : request.masks,
    profileName: isReviews ? undefined : request.profileName,
    rejected: isReviews ? 'include' : request.rejected,
  })
  await requireFolder(dirname(request.out))
  let written: MaskFolderSummary
  try {
    written = await WRITERS[request.what](store, selection, request)
  } catch (error) {
    if (error instanceof TargetExistsError) throw new ExportError(error.message, { cause: error })
    throw new ExportError(`cannot write ${request.out}: ${describe(error)}`, { cause: error })
  }
  return {
    what: request.what,
    path: request.out,
    runId: selection.run.id,
    masks: selection.maskSource,
    profile: selection.profile?.name ?? null,
    rejected: selection.rejected,
    images: selection.images.length,
    rejectedImages: selection.rejectedImages,
    nonEmptyMasks: written.nonEmptyMasks,
    files: written.files,
  }
}

/** An export that could not be written; the message names the path and why. */
export class ExportError extends Error {}

async function requireFolder(folder: string): Promise<void> {
  const info = await stat(folder).catch(() => null)
  if (!info) throw new ExportError(`cannot write into ${folder}: no such folder`)
  if (!info.isDirectory()) throw new ExportError(`cannot write into ${folder}: not a folder`)
}

function countNonEmpty(selection: ExportSelection): number {
  return selection.images.reduce((n, e) => n + e.masks.filter((m) => m.rle !== '').length, 0)
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  const messages: Record<string, string> = {
    EROFS: 'read-only file system (EROFS)',
    EACCES: 'permission denied (EACCES)',
    ENOSPC: 'no space left on the device (ENOSPC)',
    ENOTDIR: 'a file is in the way (ENOTDIR)',
    EISDIR: 'a folder is in the way (EISDIR)',
  }
  return (code && messages[code]) ?? (error as Error).message
}
