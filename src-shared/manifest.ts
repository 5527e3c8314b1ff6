// The model-set manifest (models/<id>/manifest.json): schema, defaults and readable validation.
// Layout, channels, normalisation and output activation are data here, never code paths.
import { z } from 'zod'

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/
const SHA256 = /^[0-9a-f]{64}$/
const probability = z.number().min(0).max(1)

const member = z.strictObject({
  file: z
    .string()
    .regex(/^[^/\\]+\.onnx$/, 'a file name ending in .onnx, inside the model-set folder'),
  sha256: z.string().regex(SHA256, '64 lowercase hex digits').optional(),
  weight: z.number().positive().optional(),
})

const output = z.enum(['probability', 'logit'])

const stage = {
  members: z.array(member).min(1, 'at least one member'),
  output,
}

const manifestSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lowercase letters, digits, ".", "_" or "-"'),
    version: z.string().min(1),
    name: z.string().min(1),
    description: z.string().default(''),
    classes: z
      .array(z.strictObject({ id: z.number().int().min(1), name: z.string().min(1), color: z.string().regex(HEX_COLOR, 'a colour like #e6b800') }))
      .min(1, 'at least one class'),
    input: z.strictObject({
      height: z.number().int().positive(),
      width: z.number().int().positive(),
      layout: z.enum(['NHWC', 'NCHW']),
      channels: z.union([z.literal(1), z.literal(3)]),
      scale: z.number().positive(),
      mean: z.array(z.number()),
      std: z.array(z.number().positive()),
    }),
    classifier: z.strictObject({ ...stage, threshold: probability }).optional(),
    segmenter: z.strictObject({
      ...stage,
      postprocess: z.strictObject({
        upper: z.array(probability),
        lower: z.array(probability),
        minArea: z.array(z.number().int().min(0)),
      }),
    }),
    tta: z.array(z.enum(['none', 'hflip', 'vflip'])).min(1).default(['none']),
    imageSize: z.strictObject({ height: z.number().int().positive(), width: z.number().int().positive() }),
  })
  .superRefine((m, ctx) => {
    const k = m.classes.length
    m.classes.forEach((c, i) => {
      if (c.id !== i + 1) ctx.addIssue({ code: 'custom', path: ['classes', i, 'id'], message: `expected ${i + 1}: class ids run 1..${k} in order` })
    })
    for (const key of ['mean', 'std'] as const) {
      if (m.input[key].length !== m.input.channels) {
        ctx.addIssue({ code: 'custom', path: ['input', key], message: `expected ${m.input.channels} values (one per channel), got ${m.input[key].length}` })
      }
    }
    const post = m.segmenter.postprocess
    for (const key of ['upper', 'lower', 'minArea'] as const) {
      if (post[key].length !== k) {
        ctx.addIssue({ code: 'custom', path: ['segmenter', 'postprocess', key], message: `expected ${k} values (one per class), got ${post[key].length}` })
      }
    }
    post.lower.forEach((lower, c) => {
      if (lower > post.upper[c]) ctx.addIssue({ code: 'custom', path: ['segmenter', 'postprocess', 'lower', c], message: `lower ${lower} is above upper ${post.upper[c]}` })
    })
  })

export type ModelManifest = z.infer<typeof manifestSchema>
export type ManifestMember = z.infer<typeof member>
export type TensorLayout = ModelManifest['input']['layout']
export type OutputKind = z.infer<typeof output>
export type TtaView = ModelManifest['tta'][number]

export type ManifestResult =
  | { readonly ok: true; readonly manifest: ModelManifest }
  | { readonly ok: false; readonly errors: readonly string[] }

/** Validates parsed JSON; each error reads `<file>: <key path>: <what was expected>`. */
export function validateManifest(json: unknown, file: string): ManifestResult {
  const parsed = manifestSchema.safeParse(json)
  if (parsed.success) return { ok: true, manifest: parsed.data }
  const errors = parsed.error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(top level)'
    return `${file}: ${path}: ${describeIssue(issue)}`
  })
  return { ok: false, errors }
}

/** Parses manifest text; a JSON syntax error is reported like a schema error. */
export function parseManifest(text: string, file: string): ManifestResult {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return { ok: false, errors: [`${file}: not valid JSON (${(error as Error).message})`] }
  }
  return validateManifest(json, file)
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`
  if (issue.code === 'invalid_type' && issue.input === undefined) return `required key is missing (expected ${issue.expected})`
  return issue.message
}

/** Member weights normalised to sum 1 (equal when none are given). */
export function memberWeights(members: readonly ManifestMember[]): number[] {
  const raw = members.map((m) => m.weight ?? 1)
  const total = raw.reduce((a, b) => a + b, 0)
  return raw.map((w) => w / total)
}
