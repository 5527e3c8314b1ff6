// The model-set manifest (models/<id>/manifest.json): schema, defaults and readable validation.
// Layout, channel order, normalisation, activation and the channel → class mapping are data here,
// never code paths; formulation.ts resolves them per member. Schema version 1 is the seed's shape;
// version 2 adds the keys that describe other exports (V2_KEYS).
import { z } from 'zod'
import { quantizationSchema } from './quantizationSchema.ts'

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/
const SHA256 = /^[0-9a-f]{64}$/
const probability = z.number().min(0).max(1)
const size = z.strictObject({ height: z.number().int().positive(), width: z.number().int().positive() })

const inputFields = {
  height: z.number().int().positive(),
  width: z.number().int().positive(),
  layout: z.enum(['NHWC', 'NCHW']),
  channels: z.union([z.literal(1), z.literal(3)]),
  scale: z.number().positive(),
  mean: z.array(z.number()),
  std: z.array(z.number().positive()),
  /** Order of the colour channels the model was trained on (OpenCV reads BGR). */
  channelOrder: z.enum(['RGB', 'BGR']).optional(),
  /** The input's element type; only float32 is fed (others are refused with the fix). */
  dtype: z.enum(['float32', 'float16', 'uint8']).optional(),
}
/** A stage's or a member's input where it differs from the set's `input`: any of its keys. */
const inputOverride = z.strictObject(inputFields).partial()

const activation = z.enum(['probability', 'logit', 'softmax'])
/** How a model's output reads, per stage, or per member where a member differs. */
const outputFields = {
  output: activation,
  /** The index of the background channel, or "none" (needed with softmax). */
  background: z.union([z.number().int().min(0), z.literal('none')]).optional(),
  /** The class id of each non-background output channel, in channel order. */
  channels: z.array(z.number().int().min(1)).min(1).optional(),
  /** The output's spatial size when it is below the input's (scaled up bilinearly). */
  outputSize: size.optional(),
}

const member = z.strictObject({
  file: z
    .string()
    .regex(/^[^/\\]+\.onnx$/, 'a file name ending in .onnx, inside the model-set folder'),
  sha256: z.string().regex(SHA256, '64 lowercase hex digits').optional(),
  weight: z.number().positive().optional(),
  /** The output to read, by name, when the model has several (e.g. auxiliary heads). */
  outputName: z.string().min(1).optional(),
  input: inputOverride.optional(),
  ...z.strictObject(outputFields).partial().shape,
})

const stage = {
  members: z.array(member).min(1, 'at least one member'),
  input: inputOverride.optional(),
  ...outputFields,
}

const manifestSchema = z
  .strictObject({
    schemaVersion: z.union([z.literal(1), z.literal(2)]).optional(),
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lowercase letters, digits, ".", "_" or "-"'),
    version: z.string().min(1),
    name: z.string().min(1),
    description: z.string().default(''),
    /** What the set was trained on, in words the report can print. */
    provenance: z.strictObject({ trainedOn: z.string().min(1), synthetic: z.boolean().default(false) }).optional(),
    /** Key paths `models init` guessed and nobody has confirmed yet. */
    unconfirmed: z.array(z.string()).optional(),
    classes: z
      .array(z.strictObject({ id: z.number().int().min(1), name: z.string().min(1), color: z.string().regex(HEX_COLOR, 'a colour like #e6b800') }))
      .min(1, 'at least one class'),
    input: z.strictObject(inputFields),
    classifier: z
      .strictObject({
        ...stage,
        /** "any": one any-defect probability per image; "perClass": one per class, each with its threshold. */
        gate: z.enum(['any', 'perClass']).optional(),
        threshold: z.union([probability, z.array(probability)]),
      })
      .optional(),
    segmenter: z.strictObject({
      ...stage,
      postprocess: z.strictObject({
        upper: z.array(probability),
        lower: z.array(probability),
        minArea: z.array(z.number().int().min(0)),
      }),
    }),
    tta: z.array(z.enum(['none', 'hflip', 'vflip'])).min(1).default(['none']),
    imageSize: size,
    /** Present on an int8 set made by `models quantize`: its origin, method and measured parity. */
    quantization: quantizationSchema.optional(),
  })
  .superRefine((m, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message })
    const k = m.classes.length
    m.classes.forEach((c, i) => {
      if (c.id !== i + 1) issue(['classes', i, 'id'], `expected ${i + 1}: class ids run 1..${k} in order`)
    })
    if (m.schemaVersion !== 2) {
      for (const path of v2KeysUsed(m)) issue(path, `this key needs "schemaVersion": 2`)
    }
    checkInput(m.input, ['input'], issue)
    const post = m.segmenter.postprocess
    for (const key of ['upper', 'lower', 'minArea'] as const) {
      if (post[key].length !== k) issue(['segmenter', 'postprocess', key], `expected ${k} values (one per class), got ${post[key].length}`)
    }
    post.lower.forEach((lower, c) => {
      if (lower > post.upper[c]) issue(['segmenter', 'postprocess', 'lower', c], `lower ${lower} is above upper ${post.upper[c]}`)
    })
    for (const name of ['classifier', 'segmenter'] as const) {
      const s = m[name]
      if (!s) continue
      const stageInput = { ...m.input, ...s.input }
      checkInput(stageInput, [name, 'input'], issue)
      checkOutput(s, [name], k, issue)
      s.members.forEach((mem, i) => {
        if (mem.input) checkInput({ ...stageInput, ...mem.input }, [name, 'members', i, 'input'], issue)
        checkOutput({ ...s, ...mem }, [name, 'members', i], k, issue)
      })
    }
    const c = m.classifier
    if (c) {
      const perClass = c.gate === 'perClass'
      if (perClass && (!Array.isArray(c.threshold) || c.threshold.length !== k)) {
        issue(['classifier', 'threshold'], `a per-class gate takes ${k} thresholds (one per class), got ${JSON.stringify(c.threshold)}`)
      }
      if (!perClass && Array.isArray(c.threshold)) issue(['classifier', 'threshold'], 'an any-defect gate takes one threshold; several need "gate": "perClass"')
      c.members.forEach((mem, i) => {
        const ids = mem.channels ?? c.channels
        if (!perClass && ids && ids.length !== 1) issue(['classifier', 'members', i, 'channels'], 'an any-defect gate reads one channel; several need "gate": "perClass"')
      })
    }
  })

type Issue = (path: (string | number)[], message: string) => void

function checkInput(input: { channels: number; mean: number[]; std: number[] }, path: (string | number)[], issue: Issue): void {
  for (const key of ['mean', 'std'] as const) {
    if (input[key].length !== input.channels) issue([...path, key], `expected ${input.channels} values (one per channel), got ${input[key].length}`)
  }
}

function checkOutput(
  out: { output: string; background?: number | 'none'; channels?: number[] },
  path: (string | number)[],
  k: number,
  issue: Issue,
): void {
  if (out.output === 'softmax' && out.background === undefined) {
    issue([...path, 'background'], 'softmax needs "background": the index of the background channel, or "none"')
  }
  const ids = out.channels ?? []
  ids.forEach((id, i) => {
    if (id > k) issue([...path, 'channels', i], `class ${id} is not among the ${k} classes`)
    if (ids.indexOf(id) !== i) issue([...path, 'channels', i], `class ${id} is mapped twice`)
  })
  if (typeof out.background === 'number' && out.background > ids.length && ids.length > 0) {
    issue([...path, 'background'], `channel ${out.background} is past the ${ids.length + 1} output channels`)
  }
}

/** The paths of every key that schema version 1 does not have. */
function v2KeysUsed(m: z.infer<typeof manifestSchema>): (string | number)[][] {
  const used: (string | number)[][] = []
  const has = (o: object | undefined, keys: readonly string[], path: (string | number)[]) => {
    for (const key of keys) if (o && key in o && (o as Record<string, unknown>)[key] !== undefined) used.push([...path, key])
  }
  has(m, ['provenance', 'unconfirmed', 'quantization'], [])
  has(m.input, ['channelOrder', 'dtype'], ['input'])
  for (const name of ['classifier', 'segmenter'] as const) {
    const s = m[name]
    if (!s) continue
    has(s, ['input', 'background', 'channels', 'outputSize', 'gate'], [name])
    if (s.output === 'softmax') used.push([name, 'output'])
    s.members.forEach((mem, i) => has(mem, ['input', 'output', 'background', 'channels', 'outputSize', 'outputName'], [name, 'members', i]))
  }
  if (Array.isArray(m.classifier?.threshold)) used.push(['classifier', 'threshold'])
  return used
}

export type ModelManifest = z.infer<typeof manifestSchema>
export type ManifestMember = z.infer<typeof member>
export type ManifestInput = ModelManifest['input']
export type InputOverride = z.infer<typeof inputOverride>
export type TensorLayout = ModelManifest['input']['layout']
export type OutputKind = z.infer<typeof activation>
export type TtaView = ModelManifest['tta'][number]

export type ManifestResult =
  | { readonly ok: true; readonly manifest: ModelManifest }
  | { readonly ok: false; readonly errors: readonly string[] }

/** Validates parsed JSON; each error reads `<file>: <key path>: <what was expected>`. */
export function validateManifest(json: unknown, file: string): ManifestResult {
  const parsed = manifestSchema.safeParse(json, { reportInput: true })
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
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return `required key is missing (expected ${withArticle(issue.expected)})`
    return `expected ${withArticle(issue.expected)}, got ${withArticle(kindOf(issue.input))}`
  }
  if (issue.code === 'invalid_value') return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${JSON.stringify(issue.input)}`
  if (issue.code === 'invalid_union') {
    // Name what each alternative wanted when every one failed on the value's type.
    const wanted = issue.errors.map((branch) => branch[0]).filter((b) => b && (b.code === 'invalid_type' || b.code === 'invalid_value') && b.path.length === 0)
    if (wanted.length === issue.errors.length) {
      const names = wanted.map((b) => (b.code === 'invalid_type' ? withArticle(b.expected) : b.code === 'invalid_value' ? b.values.map((v) => JSON.stringify(v)).join(' or ') : ''))
      return `expected ${names.join(' or ')}, got ${withArticle(kindOf(issue.input))}`
    }
  }
  return issue.message
}

function kindOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value
}

function withArticle(noun: string): string {
  if (noun === 'null' || noun === 'undefined') return noun
  return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`
}

/** Member weights normalised to sum 1 (equal when none are given). */
export function memberWeights(members: readonly ManifestMember[]): number[] {
  const raw = members.map((m) => m.weight ?? 1)
  const total = raw.reduce((a, b) => a + b, 0)
  return raw.map((w) => w / total)
}
