// A quantized model set's record of itself (manifest key `quantization`): which float set it came
// from, what it was calibrated on and how, which members or layers stayed float and why, and the
// parity measured against the float set on held-out images.
import { z } from 'zod'

const SHA256 = /^[0-9a-f]{64}$/
const sha256 = z.string().regex(SHA256, '64 lowercase hex digits')
const fraction = z.number().min(0).max(1)
const difference = z.strictObject({ mean: z.number().min(0), max: z.number().min(0) })

/** One set's masks against the truth, per class (null where the truth has no such images). */
const truthScore = z.strictObject({
  meanDice: fraction,
  diceOnDefects: fraction.nullable(),
  detectionRecall: fraction.nullable(),
  falsePositiveRate: fraction.nullable(),
})

const classParity = z.strictObject({
  classId: z.number().int().min(1),
  /** Mean over the images of the Dice between the float and the int8 mask (1 when both are empty). */
  diceBetween: fraction,
  /** Share of images with a non-empty mask, float and int8. */
  detected: z.strictObject({ fp32: fraction, int8: fraction }),
  /** |p_int8 − p_fp32| over the stored probability maps (steps of 1/255). */
  probability: difference,
  truth: z.strictObject({ fp32: truthScore, int8: truthScore }).nullable(),
})

export const paritySchema = z.strictObject({
  images: z.number().int().positive(),
  /** sha256 of the sorted held-out images' own sha256s. */
  sha256,
  measuredAt: z.string().min(1),
  meanDiceBetween: fraction,
  probability: difference,
  /** Kaggle mean Dice against the folder's truth.csv, when it has one. */
  meanDice: z.strictObject({ fp32: fraction, int8: fraction }).nullable(),
  perClass: z.array(classParity),
  /** Whether the int8 set is within the parity targets, and why not (null without truth). */
  verdict: z.strictObject({ meets: z.boolean(), lines: z.array(z.string()) }).nullable(),
})

export const quantizationSchema = z.strictObject({
  method: z.string().min(1),
  weightBits: z.union([z.literal(7), z.literal(8)]),
  origin: z.strictObject({
    id: z.string().min(1),
    version: z.string().min(1),
    manifestSha256: sha256,
    members: z.array(z.strictObject({ file: z.string().min(1), sha256 })),
  }),
  calibration: z.strictObject({ images: z.number().int().positive(), sha256 }),
  members: z.array(
    z.strictObject({
      file: z.string().min(1),
      precision: z.enum(['int8', 'mixed', 'fp32']),
      quantizedNodes: z.number().int().min(0),
      keptFp32: z.array(z.strictObject({ node: z.string(), reason: z.string() })),
      /** Why the whole member stayed float. */
      reason: z.string().nullable(),
      /** |p_int8 − p_fp32| of the member on the calibration images. */
      calibrationDifference: difference.nullable(),
    }),
  ),
  parity: paritySchema.optional(),
})

export type Quantization = z.infer<typeof quantizationSchema>
export type Parity = z.infer<typeof paritySchema>
