// Input schemas of the comparison methods (see compareTypes.ts).
import { z } from 'zod'

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)
const side = z.string().min(1).max(4096)

export const COMPARE_INPUT_SCHEMAS = {
  compareRuns: z.strictObject({ sourceId: id, a: side, b: side }),
  getCompareImage: z.strictObject({ sourceId: id, a: side, b: side, imageId: id }),
  decideSourceModelSet: z.strictObject({ sourceId: id, a: side, b: side, note: z.string().trim().min(1, 'say why').max(10_000) }),
  listSourceModelDecisions: z.strictObject({ sourceId: id }),
}
