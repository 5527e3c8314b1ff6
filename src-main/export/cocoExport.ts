// COCO JSON from an export selection: every selected image (defect-free ones too, as negatives),
// one annotation per non-empty (image, class) mask with an uncompressed RLE segmentation, its area
// and bbox, and the model set's classes as categories. Masks are semantic (one per class), so an
// annotation can hold several separate regions; iscrowd is 0.
import { kaggleToCocoRle, maskGeometry, type CocoRle } from './cocoRle.ts'
import type { ExportImage, ExportSelection, SelectionHeader, StreamedSelection } from './exportSelection.ts'
import { profileLabel } from '../../src-shared/profileContent.ts'

export interface CocoAnnotation {
  readonly id: number
  readonly image_id: number
  readonly category_id: number
  readonly segmentation: CocoRle
  readonly area: number
  readonly bbox: readonly [number, number, number, number]
  readonly iscrowd: 0
  /** 'model' or 'human': where the mask came from. */
  readonly origin: string
}

export interface CocoDataset {
  readonly info: Record<string, string | number | null>
  readonly licenses: readonly never[]
  readonly images: readonly { id: number; file_name: string; width: number; height: number }[]
  readonly annotations: readonly CocoAnnotation[]
  readonly categories: readonly { id: number; name: string; supercategory: string; color: string }[]
}

export function toCocoDataset(selection: ExportSelection, createdAt: Date): CocoDataset {
  const annotations: CocoAnnotation[] = []
  const images = selection.images.map((entry) => {
    annotations.push(...imageAnnotations(entry, annotations.length + 1))
    return cocoImage(entry)
  })
  return { info: cocoInfo(selection, createdAt), licenses: [], images, annotations, categories: cocoCategories(selection) }
}

/**
 * The same JSON as `JSON.stringify(toCocoDataset(…))`, written in pieces: the images in a first
 * pass, their annotations in a second (an image that appeared between the passes is left out).
 */
export function* cocoJsonPieces(selection: StreamedSelection, createdAt: Date, written = { nonEmptyMasks: 0 }): Generator<string> {
  yield `{"info":${JSON.stringify(cocoInfo(selection, createdAt))},"licenses":[],"images":[`
  const listed = new Set<number>()
  for (const entry of selection.images(false)) {
    yield `${listed.size > 0 ? ',' : ''}${JSON.stringify(cocoImage(entry))}`
    listed.add(entry.image.id)
  }
  yield '],"annotations":['
  for (const entry of selection.images(true)) {
    if (!listed.has(entry.image.id)) continue
    const annotations = imageAnnotations(entry, written.nonEmptyMasks + 1)
    for (const annotation of annotations) yield `${annotation.id > 1 ? ',' : ''}${JSON.stringify(annotation)}`
    written.nonEmptyMasks += annotations.length
  }
  yield `],"categories":${JSON.stringify(cocoCategories(selection))}}\n`
}

function cocoImage({ image }: ExportImage): CocoDataset['images'][number] {
  return { id: image.id, file_name: image.relativePath, width: image.width!, height: image.height! }
}

/** One annotation per non-empty mask of the image, numbered from `firstId`. */
function imageAnnotations({ image, masks }: ExportImage, firstId: number): CocoAnnotation[] {
  const width = image.width!
  const height = image.height!
  return masks
    .filter((mask) => mask.rle !== '')
    .map((mask, k) => {
      const { area, bbox } = maskGeometry(mask.rle, height)
      return {
        id: firstId + k,
        image_id: image.id,
        category_id: mask.classId,
        segmentation: kaggleToCocoRle(mask.rle, height, width),
        area,
        bbox,
        iscrowd: 0 as const,
        origin: mask.origin,
      }
    })
}

function cocoInfo(selection: SelectionHeader, createdAt: Date): CocoDataset['info'] {
  return {
    description: `Coilscope export: run ${selection.run.id}, ${selection.maskSource} masks${selection.profile ? ` (profile "${profileLabel(selection.profile)}")` : ''}`,
    version: `${selection.modelSet.manifestId} ${selection.modelSet.version}`,
    year: createdAt.getUTCFullYear(),
    date_created: createdAt.toISOString(),
    contributor: 'Coilscope',
    url: null,
  }
}

function cocoCategories(selection: SelectionHeader): CocoDataset['categories'] {
  return selection.classes.map((c) => ({ id: c.id, name: c.name, supercategory: 'defect', color: c.color }))
}
