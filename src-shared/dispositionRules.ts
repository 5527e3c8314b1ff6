// Disposition rule sets as data: validated with zod, versioned by (name, version), imported and
// exported as JSON. A rule selects defects (classes, zone, smallest area counted) and fires on a
// measure — one defect's area, a count, or a total area, per coil or in any metre — at or above its
// bound, with an outcome and a reason.
import { z } from 'zod'
import { DISPOSITIONS, type Disposition } from './dispositionOutcome.ts'

export { DISPOSITIONS, type Disposition }
const disposition = z.enum(DISPOSITIONS)

const selection = {
  id: z.string().min(1),
  /** Class ids the rule looks at; empty or absent means every class. */
  classes: z.array(z.number().int().min(1)).default([]),
  /** 'edge': any part within the rule set's edge band of either strip edge; 'centre': none. */
  zone: z.enum(['anywhere', 'edge', 'centre']).default('anywhere'),
  outcome: disposition,
  reason: z.string().min(1),
}
const per = z.enum(['coil', 'metre'])
/** Defects smaller than this are not counted (noise a plant tolerates). */
const minDefectAreaMm2 = z.number().nonnegative().finite().default(0)

export const ruleSchema = z.discriminatedUnion('kind', [
  z.object({ ...selection, kind: z.literal('defectArea'), atLeastMm2: z.number().nonnegative().finite() }),
  z.object({ ...selection, kind: z.literal('count'), per, minDefectAreaMm2, atLeast: z.number().int().min(1) }),
  z.object({ ...selection, kind: z.literal('totalArea'), per, minDefectAreaMm2, atLeastMm2: z.number().positive().finite() }),
])
export type Rule = z.infer<typeof ruleSchema>

export const ruleSetSchema = z
  .object({
    name: z.string().min(1),
    version: z.number().int().min(1),
    /** Width of the edge band on each side of the strip, in millimetres. */
    edgeBandMm: z.number().nonnegative().finite(),
    rules: z.array(ruleSchema),
  })
  .superRefine((set, ctx) => {
    const seen = new Set<string>()
    set.rules.forEach((rule, i) => {
      if (seen.has(rule.id)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `rule id "${rule.id}" is used twice` })
      seen.add(rule.id)
    })
  })
export type RuleSet = z.infer<typeof ruleSetSchema>

/** Parses a rule set from JSON text, naming `origin` (a file) and every problem on failure. */
export function parseRuleSet(text: string, origin: string): RuleSet {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new Error(`${origin}: not JSON (${(error as Error).message})`)
  }
  const parsed = ruleSetSchema.safeParse(value)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`)
    throw new Error(`${origin}: not a valid rule set: ${problems.join('; ')}`)
  }
  return parsed.data
}

/** The JSON a rule set is exported as (defaults written out, so the file says everything). */
export function formatRuleSet(set: RuleSet): string {
  return `${JSON.stringify(set, null, 2)}\n`
}
