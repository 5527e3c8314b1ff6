// Input schemas of the Review methods (merged into API_INPUT_SCHEMAS). Strict objects, bounded sizes.
import { z } from 'zod'
import { REVIEW_QUEUE_ORDERS, REVIEW_SEARCH_MATCHES, REVIEW_STATUSES, type ReviewApiMethods } from './reviewTypes.ts'

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)
const probability = z.number().min(0).max(1)
// An RLE of a 256×1600 mask is at most about 1.8 MB (every other pixel set); leave room for larger images.
export const MAX_RLE_CHARS = 8_000_000
const revision = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)
const rle = z.string().max(MAX_RLE_CHARS).regex(/^[0-9 ]*$/, 'an RLE string: digits and spaces')
const perClass = (value: z.ZodNumber) => z.array(value).min(1).max(64)

export const thresholdProfileSchema = z.strictObject({
  name: z.string().min(1).max(200),
  gate: probability.nullable(),
  upper: perClass(probability),
  lower: perClass(probability),
  minAreaModelPx: perClass(z.number().int().min(0).max(100_000_000)),
  version: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
})

const runImage = z.strictObject({ runId: id, imageId: id })
const runSourceProfile = z.strictObject({ runId: id, sourceId: id, profile: thresholdProfileSchema })

type ReviewInput<M extends keyof ReviewApiMethods> = Parameters<ReviewApiMethods[M]>[0]
type Schemas = { readonly [M in keyof ReviewApiMethods]: z.ZodType<ReviewInput<M>> }

export const REVIEW_INPUT_SCHEMAS = {
  getReviewImage: runImage,
  listReviewWindow: z.strictObject({
    runId: id,
    sourceId: id,
    order: z.enum(REVIEW_QUEUE_ORDERS),
    from: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    limit: z.number().int().min(1).max(1000),
    afterImageId: id.nullable().optional(),
  }),
  locateInReviewQueue: z.strictObject({ runId: id, sourceId: id, order: z.enum(REVIEW_QUEUE_ORDERS), imageId: id }),
  searchReviewQueue: z.strictObject({
    runId: id,
    sourceId: id,
    order: z.enum(REVIEW_QUEUE_ORDERS),
    match: z.enum(REVIEW_SEARCH_MATCHES),
    from: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    limit: z.number().int().min(1).max(1000),
  }),
  listBatchCandidates: z.strictObject({ runId: id, sourceId: id, match: z.enum(REVIEW_SEARCH_MATCHES), limit: z.number().int().min(1).max(1000) }),
  listReviewItems: z.strictObject({ runId: id, imageIds: z.array(id).max(1000) }),
  saveMaskEdit: z.strictObject({ runId: id, imageId: id, classId: id, beforeRle: rle, afterRle: rle, baseRevision: revision, tool: z.string().min(1).max(40) }),
  revertToModel: z.strictObject({ runId: id, imageId: id, classId: id, beforeRle: rle, baseRevision: revision }),
  setReview: z.strictObject({ imageId: id, status: z.enum(REVIEW_STATUSES), note: z.string().max(4000) }),
  getRunProfile: z.strictObject({ runId: id }),
  getReviewRunContext: z.strictObject({ runId: id }),
  listProfiles: z.undefined(),
  saveProfile: z.strictObject({ profile: thresholdProfileSchema }),
  applyProfile: z.strictObject({ runId: id, name: z.string().min(1).max(200).nullable() }),
  getRunMetrics: runSourceProfile,
  optimiseThresholds: runSourceProfile,
  forceStage2: runImage,
} satisfies Schemas
