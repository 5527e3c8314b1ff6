// COCO JSON from an export selection: every selected image (defect-free ones too, as negatives),
// one annotation per non-empty (image, class) mask with an uncompressed RLE segmentation, its area
// and bbox, and the model set's classes as categories. Masks are semantic (one per class), so an
// annotation can hold several separate regions; iscrowd is 0.
import { kaggleToCocoRle, maskGeometry, type CocoRle } from './cocoRle.ts'
import type { ExportSelection } from './exportSelection.ts'

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
  const images = selection.images.map(({ image, masks }) => {
    const width = image.width!
    const height = image.height!
    for (const mask of masks) {
      if (mask.rle === '') continue
      const { area, bbox } = maskGeometry(mask.rle, height)
      annotations.push({
        id: annotations.length + 1,
        image_id: image.id,
        category_id: mask.classId,
        segmentation: kaggleToCocoRle(mask.rle, height, width),
        area,
        bbox,
        iscrowd: 0,
        origin: mask.origin,
      })
    }
    return { id: image.id, file_name: image.relativePath, width, height }
  })
  return {
    info: {
      description: `Coilscope export: run ${selection.run.id}, ${selection.maskSource} masks${selection.profile ? ` (profile "${selection.profile.name}")` : ''}`,
      version: `${selection.modelSet.manifestId} ${selection.modelSet.version}`,
      year: createdAt.getUTCFullYear(),
      date_created: createdAt.toISOString(),
      contributor: 'Coilscope',
      url: null,
    },
    licenses: [],
    images,
    annotations,
    categories: selection.classes.map((c) => ({ id: c.id, name: c.name, supercategory: 'defect', color: c.color })),
  }
}
