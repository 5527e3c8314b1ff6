// One schema per API method input. Main validates every call with these before anything runs: the
// renderer is untrusted. Objects are strict (unknown keys are refused) and sizes are bounded.
// Lives apart from api.ts so the preload and the renderer do not bundle zod.
import { z } from 'zod'
import type { ApiInput, ApiMethod } from './api.ts'
import { COIL_INPUT_SCHEMAS } from './coilSchemas.ts'
import { COMPARE_INPUT_SCHEMAS } from './compareSchemas.ts'
import { EXPORT_INPUT_SCHEMAS } from './exportSchemas.ts'
import { MAX_RLE_CHARS, REVIEW_INPUT_SCHEMAS } from './reviewSchemas.ts'
import { IMAGE_SORT_KEYS, IMAGE_STATUSES, PROVIDER_CHOICES, REVIEW_FILTERS, THEMES } from './apiTypes.ts'

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)
const path = z.string().min(1).max(4096)
const probability = z.number().min(0).max(1)
const none = z.undefined()
const jobRef = z.strictObject({ jobId: id })

const imageQuery = z.strictObject({
  sourceId: id,
  runId: id.nullable(),
  offset: z.number().int().min(0),
  limit: z.number().int().min(1).max(1000),
  sort: z.strictObject({ key: z.enum(IMAGE_SORT_KEYS), isDescending: z.boolean() }),
  filter: z.strictObject({
    statuses: z.array(z.enum(IMAGE_STATUSES)).max(IMAGE_STATUSES.length),
    classIds: z.array(id.max(31)).max(31),
    gateMin: probability.nullable(),
    gateMax: probability.nullable(),
    hasError: z.boolean().nullable(),
    review: z.enum(REVIEW_FILTERS).nullable().optional(),
  }),
  afterImageId: id.nullable().optional(),
})

const windowBounds = z.strictObject({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(200).max(100_000),
  height: z.number().int().min(200).max(100_000),
  isMaximized: z.boolean(),
})

export const settingsSchema = z.strictObject({
  theme: z.enum(THEMES),
  modelsRoot: path.nullable(),
  authorName: z.string().max(200),
  windowBounds: windowBounds.nullable(),
  recentFolders: z.array(path).max(20),
  lastModelSetDir: path.nullable(),
  provider: z.enum(PROVIDER_CHOICES),
  extraModelSetDirs: z.array(path).max(100),
})

export { MAX_RLE_CHARS }

/**
 * The largest call message a front door must accept: a mask edit carries two RLEs at the schema's
 * limit; everything else is far smaller. The web host's socket refuses larger frames.
 */
export const MAX_API_MESSAGE_BYTES = 2 * MAX_RLE_CHARS + (1 << 20)

type InputSchemas = { readonly [M in ApiMethod]: z.ZodType<ApiInput<M>> }

export const API_INPUT_SCHEMAS = {
  getAppInfo: none,
  pickFolder: none,
  openFolder: z.strictObject({ path }),
  listSources: none,
  listImages: imageQuery,
  listRuns: none,
  listModelSets: none,
  addModelSet: z.strictObject({ dir: path }),
  checkFit: z.strictObject({ sourceId: id, modelSetDir: path }),
  startJob: z.strictObject({ sourceId: id, modelSetDir: path, provider: z.enum(PROVIDER_CHOICES) }),
  pauseJob: jobRef,
  resumeJob: jobRef,
  cancelJob: jobRef,
  setSourceWatch: z.strictObject({ sourceId: id, isWatched: z.boolean(), modelSetDir: path.nullable(), provider: z.enum(PROVIDER_CHOICES) }),
  listJobs: none,
  getSettings: none,
  setSettings: settingsSchema.partial(),
  ...REVIEW_INPUT_SCHEMAS,
  ...EXPORT_INPUT_SCHEMAS,
  ...COIL_INPUT_SCHEMAS,
  ...COMPARE_INPUT_SCHEMAS,
} satisfies InputSchemas

/** Validates one call's input; the error names the method and every problem. */
export function parseApiInput<M extends ApiMethod>(method: M, input: unknown): ApiInput<M> {
  const result = (API_INPUT_SCHEMAS[method] as z.ZodType<ApiInput<M>>).safeParse(input)
  if (result.success) return result.data
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`)
  throw new ApiInputError(`${method}: invalid input (${problems.join('; ')})`)
}

export class ApiInputError extends Error {}
