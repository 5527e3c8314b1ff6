// Does a folder of images look like the images a model set was trained on? Each image is reduced to
// a few numbers — brightness, contrast and three texture measures — and the training images to
// their range (the set's fingerprint). An image is unlike when some number lies outside the
// training images' range by more than a quarter of that range (texture and contrast measured on a
// log scale, so that twice as noisy counts the same at any level). Pure: grey pixels in, numbers out.

export const FIT_FEATURES = ['brightness', 'contrast', 'textureX', 'textureY', 'fineNoise'] as const
export type FitFeature = (typeof FIT_FEATURES)[number]
export type ImageFeatures = Record<FitFeature, number>

/** What each feature is, in words for the user. */
export const FEATURE_LABELS: Record<FitFeature, string> = {
  brightness: 'brightness (mean grey level)',
  contrast: 'contrast (spread of grey levels)',
  textureX: 'texture along the strip (mean step between neighbouring columns)',
  textureY: 'texture across the strip (mean step between neighbouring rows)',
  fineNoise: 'fine noise (mean second difference along rows)',
}

export interface Fingerprint {
  readonly schema: 1
  /** How many training images it summarises, and how they were obtained. */
  readonly images: number
  readonly source: string
  readonly features: Record<FitFeature, { readonly mean: number; readonly std: number; readonly min: number; readonly max: number }>
}

/** Rows sampled: every STRIDE-th row (and the one below it, for the vertical step). */
const ROW_STRIDE = 4

/** The features of one grey image (8-bit, row-major); all are in grey levels / 255. */
export function imageFeatures(grey: Uint8Array, height: number, width: number): ImageFeatures {
  let sum = 0
  let squares = 0
  let count = 0
  let stepX = 0
  let stepY = 0
  let second = 0
  let rows = 0
  for (let y = 0; y + 1 < height; y += ROW_STRIDE, rows++) {
    const row = y * width
    const below = row + width
    for (let x = 0; x < width; x++) {
      const v = grey[row + x]
      sum += v
      squares += v * v
      stepY += Math.abs(grey[below + x] - v)
      if (x + 1 < width) stepX += Math.abs(grey[row + x + 1] - v)
      if (x > 0 && x + 1 < width) second += Math.abs(grey[row + x - 1] + grey[row + x + 1] - 2 * v)
    }
    count += width
  }
  const mean = sum / count
  return {
    brightness: mean / 255,
    contrast: Math.sqrt(Math.max(squares / count - mean * mean, 0)) / 255,
    textureX: stepX / (rows * (width - 1)) / 255,
    textureY: stepY / count / 255,
    fineNoise: second / (rows * (width - 2)) / 255,
  }
}

/** The training images' summary. */
export function summarise(features: readonly ImageFeatures[], source: string): Fingerprint {
  if (features.length < 2) throw new Error('a fingerprint needs at least two training images')
  const summary = {} as Record<FitFeature, { mean: number; std: number; min: number; max: number }>
  for (const name of FIT_FEATURES) {
    const values = features.map((f) => f[name])
    const mean = values.reduce((a, b) => a + b, 0) / values.length
    const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1))
    summary[name] = { mean, std, min: Math.min(...values), max: Math.max(...values) }
  }
  return { schema: 1, images: features.length, source, features: summary }
}

/** Brightness is compared as it is; the other features (spreads and steps) on a log scale. */
function scaled(name: FitFeature, value: number): number {
  return name === 'brightness' ? value : Math.log(Math.max(value, 1e-4))
}

/**
 * How far one image lies outside the training images' range: per feature, the distance beyond the
 * nearer end in units of the range's width; the largest, and which feature it is.
 */
export function distance(features: ImageFeatures, fingerprint: Fingerprint): { value: number; feature: FitFeature } {
  let value = 0
  let feature: FitFeature = FIT_FEATURES[0]
  for (const name of FIT_FEATURES) {
    const lo = scaled(name, fingerprint.features[name].min)
    const hi = scaled(name, fingerprint.features[name].max)
    const x = scaled(name, features[name])
    const beyond = Math.max(0, lo - x, x - hi) / Math.max(hi - lo, 1e-6)
    if (beyond > value) {
      value = beyond
      feature = name
    }
  }
  return { value, feature }
}

export interface FitReport {
  /** True when the images do not look like the training images. */
  readonly unlike: boolean
  readonly images: number
  readonly unlikeImages: number
  /** The distance an image may have and still count as alike (in training ranges beyond the range). */
  readonly limit: number
  readonly medianDistance: number
  /** The feature most often furthest out among the unlike images. */
  readonly feature: FitFeature | null
  /** One sentence for the user: the verdict with the measure. */
  readonly message: string
}

export const UNLIKE_WARNING = 'these images do not look like the images this model set was trained on: results may be unreliable'

/** An image is unlike beyond this share of a training range outside that range. */
export const FIT_LIMIT = 0.25

/** The verdict for a folder: unlike when at least half its images are. */
export function checkFit(images: readonly ImageFeatures[], fingerprint: Fingerprint): FitReport {
  const limit = FIT_LIMIT
  const distances = images.map((f) => distance(f, fingerprint))
  const unlikeOnes = distances.filter((d) => d.value > limit)
  const sorted = distances.map((d) => d.value).sort((a, b) => a - b)
  const medianDistance = sorted.length === 0 ? 0 : sorted[Math.floor((sorted.length - 1) / 2)]
  const counts = new Map<FitFeature, number>()
  for (const d of unlikeOnes) counts.set(d.feature, (counts.get(d.feature) ?? 0) + 1)
  const feature = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null
  const unlike = images.length > 0 && unlikeOnes.length * 2 >= images.length
  const measure = `${unlikeOnes.length} of ${images.length} images beyond the training images' range (median distance ${medianDistance.toFixed(2)} training ranges outside the range, limit ${limit}${feature ? `; most often in ${FEATURE_LABELS[feature]}` : ''})`
  const message = unlike ? `${UNLIKE_WARNING} — ${measure}` : `these images look like the training images: ${measure}`
  return { unlike, images: images.length, unlikeImages: unlikeOnes.length, limit, medianDistance, feature, message }
}
