// Which defect classes an image gets. An image is defective with probability `defectRate`; a
// defective image draws its set of classes from Severstal's train.csv combination counts, so both
// the per-class image counts (897 / 247 / 5,150 / 801) and the share of multi-class images (427 of
// 6,666) follow Severstal's.
import type { DefectClass } from './frame.ts'
import type { Rng } from './prng.ts'

interface ClassCombination {
  readonly classes: readonly DefectClass[]
  readonly images: number
}

// Images per class combination in Severstal's train.csv as tabulated by public EDA notebooks
// (not checked against the file, which we cannot fetch). They add up exactly to the reference's
// per-class counts and its 6,666 defective images, which is what the generator relies on.
export const SEVERSTAL_COMBINATIONS: readonly ClassCombination[] = [
  { classes: [1], images: 769 },
  { classes: [2], images: 195 },
  { classes: [3], images: 4759 },
  { classes: [4], images: 516 },
  { classes: [1, 2], images: 35 },
  { classes: [1, 3], images: 91 },
  { classes: [2, 3], images: 14 },
  { classes: [2, 4], images: 1 },
  { classes: [3, 4], images: 284 },
  { classes: [1, 2, 3], images: 2 },
]

const WEIGHTS = SEVERSTAL_COMBINATIONS.map((c) => c.images)

/**
 * The classes to draw on one image, [] for a defect-free one. The first draw alone decides whether
 * the image is defective, so raising the rate only turns clean images defective, never the reverse.
 */
export function planClasses(rng: Rng, defectRate: number): readonly DefectClass[] {
  if (rng.next() >= defectRate) return []
  return SEVERSTAL_COMBINATIONS[rng.weighted(WEIGHTS)].classes
}
