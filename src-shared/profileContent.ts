// What a stored threshold profile version holds, checked with a schema whenever it is read back:
// the gate and the per-class thresholds, without the name (the name and version are the record's).
import { z } from 'zod'

const probability = z.number().min(0).max(1)
const perClass = (value: z.ZodNumber) => z.array(value).min(1).max(64)

export const profileContentSchema = z.strictObject({
  gate: probability.nullable(),
  upper: perClass(probability),
  lower: perClass(probability),
  minAreaModelPx: perClass(z.number().int().min(0).max(100_000_000)),
})

export type ProfileContent = z.infer<typeof profileContentSchema>

/** How a profile version is named wherever a result says which one it used, e.g. "night shift v2". */
export function profileLabel(profile: { readonly name: string; readonly version?: number }): string {
  return profile.version === undefined ? profile.name : `${profile.name} v${profile.version}`
}
