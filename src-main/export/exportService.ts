// One entry point for every export, for the CLI, the app's Export screen and the web host: a plain
// request in, a plain record of what was written out. Each kind writes atomically — a file through
// a temporary file, a folder through a temporary folder — so a failure leaves nothing behind, and
// nothing that was there is replaced unless the request says `overwrite`.
import { stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { ExportKindName } from '../../src-shared/exportTypes.ts'
import type { SeverstalFormat } from '../../src-shared/severstalCsv.ts'
import type { Store } from '../store/index.ts'
import { TargetExistsError, writeDirAtomic } from './atomicWrite.ts'
import { cocoJsonPieces } from './cocoExport.ts'
import { CorruptMaskError, streamSelection, type MaskSource, type RejectedPolicy, type SelectionOptions, type StreamedSelection } from './exportSelection.ts'
import { writeClassMaskPngs, writeIndexedMaskPngs, type MaskFolderSummary } from './maskPngExport.ts'
import { reviewsCsvPieces } from './reviewsExport.ts'
import { severstalCsvPieces } from './severstalExport.ts'
import { writeChunksAtomic } from './streamedFile.ts'

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

type FolderWriter = (selection: StreamedSelection, request: ExportRequest) => Promise<MaskFolderSummary>
type FileWriter = (store: Store, selection: StreamedSelection, request: ExportRequest, written: { nonEmptyMasks: number }) => Iterable<string>

// Files and folders are written a piece at a time as the images are read (bounded memory at any size).
const FILE_WRITERS: Partial<Record<ExportKind, FileWriter>> = {
  csv: (_store, selection, request, written) => severstalCsvPieces(selection, request.format ?? 'kaggle2019', written),
  coco: (_store, selection, request, written) => cocoJsonPieces(selection, request.now ?? new Date(), written),
  reviews: (store, selection) => reviewsCsvPieces(store, selection),
}

const FOLDER_WRITERS: Partial<Record<ExportKind, FolderWriter>> = {
  png: (selection, request) => writeDirAtomic(request.out, (dir) => writeClassMaskPngs(dir, selection), request),
  'indexed-png': (selection, request) => writeDirAtomic(request.out, (dir) => writeIndexedMaskPngs(dir, selection), request),
}

/** Writes one export; rejects with a message naming the path and the reason when it cannot. */
export async function runExport(store: Store, request: ExportRequest): Promise<ExportResult> {
  const isReviews = request.what === 'reviews'
  const options: SelectionOptions = {
    sourceId: request.sourceId,
    runId: request.runId,
    masks: isReviews ? 'model' : request.masks,
    profileName: isReviews ? undefined : request.profileName,
    rejected: isReviews ? 'include' : request.rejected,
  }
  const fileWriter = FILE_WRITERS[request.what]
  const selection = streamSelection(store, options)
  await requireFolder(dirname(request.out))
  let written: MaskFolderSummary
  try {
    if (fileWriter) {
      const counted = { nonEmptyMasks: 0 }
      await writeChunksAtomic(request.out, fileWriter(store, selection, request, counted), request)
      written = { files: 1, nonEmptyMasks: counted.nonEmptyMasks }
    } else {
      written = await FOLDER_WRITERS[request.what]!(selection, request)
    }
  } catch (error) {
    // These name what is wrong themselves (a file in the way, a stored mask that is not valid RLE).
    if (error instanceof TargetExistsError || error instanceof CorruptMaskError) throw new ExportError(error.message, { cause: error })
    throw new ExportError(`cannot write ${request.out}: ${describe(error)}`, { cause: error })
  }
  const { counts } = selection
  return {
    what: request.what,
    path: request.out,
    runId: selection.run.id,
    masks: selection.maskSource,
    profile: selection.profile?.name ?? null,
    rejected: selection.rejected,
    images: counts.images,
    rejectedImages: counts.rejectedImages,
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
