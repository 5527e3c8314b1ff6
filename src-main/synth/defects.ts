// The table of defect kinds (one drawing function per class, its minimum mask area and how many
// instances an image gets) and the loop that places them without letting classes overlap.
import { type DefectClass, type DefectShape, type Strip } from './frame.ts'
import { drawCrack } from './cracks.ts'
import { drawPits } from './pits.ts'
import type { Rng } from './prng.ts'
import { drawScale } from './scale.ts'
import { stampDefect, type Canvas } from './stamp.ts'
import { drawStreak } from './streaks.ts'

interface DefectKind {
  readonly draw: (rng: Rng, strip: Strip) => DefectShape
  /** Smallest mask of one instance, full-resolution pixels: a quarter of it survives at 128×800. */
  readonly minArea: number
  /** Weights for drawing 1, 2, … instances on an image. */
  readonly instances: readonly number[]
}

export const DEFECT_KINDS: Readonly<Record<DefectClass, DefectKind>> = {
  1: { draw: drawPits, minArea: 150, instances: [0.6, 0.3, 0.1] },
  2: { draw: drawCrack, minArea: 300, instances: [0.6, 0.3, 0.1] },
  3: { draw: drawStreak, minArea: 800, instances: [0.45, 0.3, 0.15, 0.1] },
  4: { draw: drawScale, minArea: 2000, instances: [0.75, 0.25] },
}

/** Fresh shapes tried per instance before it is dropped (too small after clipping, or overlapping). */
const PLACEMENT_TRIES = 12
/** Large kinds first: small ones find room around them more easily than the reverse. */
const PLACEMENT_ORDER: readonly DefectClass[] = [4, 3, 2, 1]

/** Draws the planned classes onto the canvas; returns the classes that got at least one instance. */
export function drawDefects(canvas: Canvas, classes: readonly DefectClass[], rng: Rng): DefectClass[] {
  const drawn: DefectClass[] = []
  for (const classId of PLACEMENT_ORDER) {
    if (!classes.includes(classId)) continue
    const kind = DEFECT_KINDS[classId]
    const instances = 1 + rng.weighted(kind.instances)
    let placed = 0
    for (let n = 0; n < instances; n++) {
      for (let attempt = 0; attempt < PLACEMENT_TRIES; attempt++) {
        if (stampDefect(canvas, kind.draw(rng, canvas.strip), kind.minArea) > 0) {
          placed++
          break
        }
      }
    }
    if (placed > 0) drawn.push(classId)
  }
  return drawn.sort((a, b) => a - b)
}
