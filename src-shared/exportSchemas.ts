// Input schemas of the Export methods (merged into API_INPUT_SCHEMAS).
import { z } from 'zod'
import { EXPORT_KINDS, EXPORT_MASK_SOURCES, EXPORT_REJECTED_POLICIES, REPORT_GALLERY_ORDERS, type ExportApiMethods } from './exportTypes.ts'

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)
const path = z.string().min(1).max(4096)
const name = z.string().min(1).max(200)

type Schemas = { readonly [M in keyof ExportApiMethods]: z.ZodType<Parameters<ExportApiMethods[M]>[0]> }

export const EXPORT_INPUT_SCHEMAS = {
  exportRun: z.strictObject({
    sourceId: id,
    runId: id,
    what: z.enum(EXPORT_KINDS),
    out: path,
    overwrite: z.boolean().optional(),
    format: z.enum(['kaggle2019', 'kaggle']).optional(),
    masks: z.enum(EXPORT_MASK_SOURCES).optional(),
    profileName: name.optional(),
    rejected: z.enum(EXPORT_REJECTED_POLICIES).optional(),
  }),
  writeReport: z.strictObject({
    sourceId: id,
    runId: id,
    out: path,
    overwrite: z.boolean().optional(),
    signedOffBy: name.optional(),
    profileName: name.optional(),
    galleryOrder: z.enum(REPORT_GALLERY_ORDERS).optional(),
    range: z.strictObject({ from: z.string().min(1).max(40), to: z.string().min(1).max(40) }).optional(),
  }),
  writeCoilReport: z.strictObject({ coilId: id, out: path, overwrite: z.boolean().optional() }),
} satisfies Schemas
