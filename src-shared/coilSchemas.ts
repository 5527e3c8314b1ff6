// Input schemas of the coils methods (see coilTypes.ts).
import { z } from 'zod'
import { DISPOSITIONS } from './dispositionRules.ts'
import { coilGeometrySchema } from './coilGeometry.ts'
import { coilGroupingSchema } from './coilGrouping.ts'

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)

export const COIL_INPUT_SCHEMAS = {
  listCoils: z.strictObject({ sourceId: id.nullable() }),
  getCoilMap: z.strictObject({ coilId: id }),
  decideCoil: z.strictObject({ coilId: id, proposed: z.enum(DISPOSITIONS), disposition: z.enum(DISPOSITIONS), note: z.string().max(10_000) }),
  importRuleSet: z.strictObject({ json: z.string().min(1).max(1_000_000) }),
  exportRuleSet: z.undefined(),
  getCoilSettings: z.strictObject({ sourceId: id }),
  // The schemas `coilscope coils` validates with: a bad pattern is refused here, named.
  setCoilSettings: z.strictObject({ sourceId: id, grouping: coilGroupingSchema.nullable(), geometry: coilGeometrySchema }),
  listRuleSets: z.undefined(),
}
