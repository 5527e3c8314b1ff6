// A coil's defects in physical units from its images' masks: each 8-connected region of a class
// mask becomes one defect, placed on the coil by the image's head position and the geometry. The
// same function serves the model's masks, the reviewed masks and the synthetic truth.
import { boxOnCoil, pixelAreaMm2, type CoilGeometry } from './coilGeometry.ts'
import type { CoilDefect } from './disposition.ts'
import { findRegions } from './regions.ts'
import { decodeRle } from './rle.ts'

export interface CoilImageMasks {
  readonly imageId: number
  readonly positionMm: number
  readonly width: number
  readonly height: number
  /** Kaggle RLE at image size per class; '' when empty. */
  readonly masks: readonly { readonly classId: number; readonly rle: string }[]
}

/** Defects ordered from the head, then by class. */
export function defectsOnCoil(images: readonly CoilImageMasks[], geometry: CoilGeometry): CoilDefect[] {
  const defects: CoilDefect[] = []
  for (const image of images) {
    for (const { classId, rle } of image.masks) {
      if (rle === '') continue
      const mask = decodeRle(rle, image.height, image.width)
      for (const region of findRegions(mask, image.height, image.width)) {
        defects.push({ imageId: image.imageId, classId, areaMm2: pixelAreaMm2(region.areaPx, geometry), box: boxOnCoil(region, image.positionMm, geometry) })
      }
    }
  }
  return defects.sort((a, b) => a.box.alongFromMm - b.box.alongFromMm || a.classId - b.classId || a.box.acrossFromMm - b.box.acrossFromMm)
}
