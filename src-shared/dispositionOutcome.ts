// What can happen to a coil, mildest first. Apart from the rule schemas so the renderer bundles no zod.
export const DISPOSITIONS = ['accept', 'downgrade', 'reject'] as const
export type Disposition = (typeof DISPOSITIONS)[number]
