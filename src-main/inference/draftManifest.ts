// Drafts a manifest from what a folder's .onnx files say about themselves: each member's stage,
// layout, size, channels, static batch and final activation are read from the graph; what the
// graph cannot say (normalisation, channel order, class names, thresholds) is guessed and listed
// in `unconfirmed`, so `coilscope models` flags it until someone confirms it. Answers a user gave
// (`models init` on a terminal) replace the guesses and are not listed. Pure.
import type { ModelDescription } from './onnxGraph.ts'

export interface DraftMember {
  readonly file: string
  readonly sha256: string
  readonly description: ModelDescription
}

export interface Draft {
  /** The manifest as JSON, ready to write. */
  readonly manifest: Record<string, unknown>
  /** One line per member: what was read and what was guessed. */
  readonly notes: string[]
}

export type Layout = 'NHWC' | 'NCHW'
export type OutputKind = 'probability' | 'logit' | 'softmax'
export interface Normalisation {
  readonly scale: number
  readonly mean: number[]
  readonly std: number[]
}

/** What a user confirmed about one member; anything left out stays a guess. */
export interface MemberAnswers {
  readonly layout?: Layout
  readonly channelOrder?: 'RGB' | 'BGR'
  readonly normalisation?: Normalisation
  readonly output?: OutputKind
  /** The background channel, or null for none. */
  readonly background?: number | null
  /** The class id of each non-background output channel, in order (segmenters). */
  readonly channels?: number[]
  /** The output to read, of a model with several. */
  readonly outputName?: string
}

/** What a user confirmed about the whole set. */
export interface SetAnswers {
  readonly classNames?: string[]
  readonly gate?: 'any' | 'perClass'
  /** One threshold (any-defect gate) or one per class. */
  readonly threshold?: number[]
  readonly postprocess?: { upper: number[]; lower: number[]; minArea: number[] }
  readonly imageSize?: { height: number; width: number }
  readonly provenance?: { trainedOn: string; synthetic: boolean }
}

export interface Confirmation {
  readonly members?: Readonly<Record<string, MemberAnswers>>
  readonly set?: SetAnswers
}

export class DraftError extends Error {}

const COLOURS = ['#e6b800', '#00c8d7', '#e0338f', '#3cb043', '#8a5cf6', '#f97316', '#0ea5e9', '#84cc16']
export const IMAGENET = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] }

export interface Reading {
  readonly member: DraftMember
  readonly stage: 'classifier' | 'segmenter'
  readonly input: { height: number; width: number; layout: Layout; channels: 1 | 3; scale: number; mean: number[]; std: number[]; channelOrder: 'RGB' | 'BGR' }
  /** True when the input's shape fits either layout (or neither is certain): the layout is a guess. */
  readonly layoutGuessed: boolean
  readonly output: OutputKind
  readonly background: number | null
  /** Output channels less the background. */
  readonly classes: number
  readonly outputSize: { height: number; width: number } | null
  readonly batch: number | null
  /** True when no Sigmoid or Softmax makes the output: "logit" is then a guess. */
  readonly activationGuessed: boolean
  /** The output read, when the model has several (a guess: the one that looks like masks). */
  readonly outputName: string | null
}

export function draftManifest(id: string, members: readonly DraftMember[], confirmed: Confirmation = {}): Draft {
  const readings = readMembers(members, confirmed.members)
  const segmenters = readings.filter((r) => r.stage === 'segmenter')
  const classifiers = readings.filter((r) => r.stage === 'classifier')
  const answers = (r: Reading): MemberAnswers => confirmed.members?.[r.member.file] ?? {}
  const set = confirmed.set ?? {}
  const channelsOf = (r: Reading) => answers(r).channels ?? Array.from({ length: r.classes }, (_, c) => c + 1)
  const k = set.classNames?.length ?? Math.max(...segmenters.flatMap(channelsOf))
  const setInput = segmenters[0].input
  const unconfirmed: string[] = []
  const unless = (answered: boolean, ...keys: string[]) => answered || unconfirmed.push(...keys)
  unless(readings.every((r) => answers(r).normalisation), 'input.scale', 'input.mean', 'input.std')
  unless(readings.every((r) => answers(r).channelOrder || r.input.channels === 1), 'input.channelOrder')
  unless(readings.every((r) => !r.layoutGuessed || answers(r).layout), 'input.layout')
  unless(Boolean(set.classNames), 'classes')
  unless(Boolean(set.postprocess), 'segmenter.postprocess')
  unless(Boolean(set.imageSize), 'imageSize')
  const stageOf = (list: Reading[], name: string) => {
    const stageInput = list[0].input
    const inputOverride = sameInput(stageInput, setInput) ? undefined : diffInput(stageInput, setInput)
    return {
      ...(inputOverride ? { input: inputOverride } : {}),
      output: list[0].output,
      ...(list[0].background !== null ? { background: list[0].background } : {}),
      members: list.map((r, i) => {
        const own = sameInput(r.input, stageInput) ? undefined : diffInput(r.input, stageInput)
        const channels = channelsOf(r)
        const defaultChannels = channels.length === k && channels.every((c, j) => c === j + 1)
        unless(r.background === null || answers(r).background !== undefined, `${name}.members.${i}.background`)
        unless(!r.activationGuessed || answers(r).output !== undefined, `${name}.members.${i}.output`)
        unless(name !== 'segmenter' || defaultChannels || answers(r).channels !== undefined, `${name}.members.${i}.channels`)
        unless(r.outputName === null || answers(r).outputName !== undefined, `${name}.members.${i}.outputName`)
        return {
          file: r.member.file,
          sha256: r.member.sha256,
          ...(r.outputName !== null ? { outputName: r.outputName } : {}),
          ...(own ? { input: own } : {}),
          ...(r.output !== list[0].output ? { output: r.output } : {}),
          ...(r.background !== list[0].background ? { background: r.background ?? 'none' } : {}),
          ...(name === 'segmenter' && !defaultChannels ? { channels } : {}),
          ...(r.outputSize ? { outputSize: r.outputSize } : {}),
        }
      }),
    }
  }
  const fill = <T>(values: T[] | undefined, fallback: T) => (values?.length === 1 ? Array<T>(k).fill(values[0]) : (values ?? Array<T>(k).fill(fallback)))
  const postprocess = { upper: fill(set.postprocess?.upper, 0.5), lower: fill(set.postprocess?.lower, 0.5), minArea: fill(set.postprocess?.minArea, 0) }
  const manifest: Record<string, unknown> = {
    schemaVersion: 2,
    id,
    version: '0.1.0',
    name: id,
    description: `Drafted by coilscope models init from ${members.map((m) => m.file).join(', ')}`,
    provenance: set.provenance ?? { trainedOn: 'unknown: say what these models were trained on', synthetic: false },
    classes: Array.from({ length: k }, (_, c) => ({ id: c + 1, name: set.classNames?.[c] ?? `class ${c + 1}`, color: COLOURS[c % COLOURS.length] })),
    input: setInput,
    segmenter: { ...stageOf(segmenters, 'segmenter'), postprocess },
    tta: ['none'],
    imageSize: set.imageSize ?? { height: 256, width: 1600 },
  }
  if (classifiers.length > 0) {
    const perClass = (set.gate ?? (classifiers[0].classes > 1 ? 'perClass' : 'any')) === 'perClass'
    const threshold = perClass ? fill(set.threshold, 0.5) : (set.threshold?.[0] ?? 0.5)
    manifest.classifier = { ...stageOf(classifiers, 'classifier'), ...(perClass ? { gate: 'perClass' } : {}), threshold }
    unless(Boolean(set.threshold), 'classifier.threshold')
  }
  unless(Boolean(set.provenance), 'provenance')
  if (unconfirmed.length > 0) manifest.unconfirmed = unconfirmed
  return { manifest, notes: readings.map(note) }
}

/** Each member as the graph (and any answers) says it is; throws DraftError for what no manifest describes. */
export function readMembers(members: readonly DraftMember[], answers: Confirmation['members'] = {}): Reading[] {
  if (members.length === 0) throw new DraftError('no .onnx files in the folder')
  const readings = alignSoftmax(members.map((m) => read(m, answers[m.file] ?? {})))
  if (!readings.some((r) => r.stage === 'segmenter')) {
    throw new DraftError(`no segmenter among ${members.map((m) => m.file).join(', ')}: a model set needs at least one model with a [N, K, H, W] or [N, H, W, K] output`)
  }
  return readings.map((r) => {
    const own = answers[r.member.file] ?? {}
    const output = own.output ?? r.output
    const background = own.background !== undefined ? own.background : r.background
    const channels = r.classes + (r.background !== null ? 1 : 0) - (background !== null ? 1 : 0)
    return { ...r, output, background, classes: channels }
  })
}

/** One member as its graph (and any answers) says it is, on its own. */
export function read(member: DraftMember, answers: MemberAnswers = {}): Reading {
  const { file, description } = member
  if (description.inputs.length !== 1 || description.outputs.length === 0) {
    throw new DraftError(`${file}: ${description.inputs.length} inputs and ${description.outputs.length} outputs; a member has one input and reads one output`)
  }
  const [input] = description.inputs
  // Of several outputs (auxiliary heads), the masks: the first with 4 axes, else the first.
  const several = description.outputs.length > 1
  const output =
    description.outputs.find((o) => o.name === answers.outputName) ?? ((several && description.outputs.find((o) => o.shape.length === 4)) || description.outputs[0])
  if (input.shape.length !== 4) throw new DraftError(`${file}: input "${input.name}" has shape [${input.shape.join(', ')}]; an image input has 4 axes`)
  const [batch, a, b, c] = input.shape
  const isPyTorch = /pytorch/i.test(description.producer)
  // A channel axis of 1 or 3 in one place only decides the layout; otherwise it is a guess.
  const fits = { NHWC: c === 1 || c === 3, NCHW: a === 1 || a === 3 }
  const open = { NHWC: !(typeof c === 'number' && c > 0), NCHW: !(typeof a === 'number' && a > 0) }
  const layoutGuessed = fits.NHWC === fits.NCHW
  const preference: Layout[] = isPyTorch ? ['NCHW', 'NHWC'] : ['NHWC', 'NCHW']
  const guess = layoutGuessed ? (preference.find((l) => fits[l] || open[l]) ?? null) : fits.NHWC ? 'NHWC' : 'NCHW'
  const layout = answers.layout ?? guess
  if (!layout) throw new DraftError(`${file}: input "${input.name}" has shape [${input.shape.join(', ')}], neither NHWC nor NCHW with 1 or 3 channels`)
  const [height, width] = layout === 'NHWC' ? [a, b] : [b, c]
  const channelAxis = layout === 'NHWC' ? c : a
  const channels = (channelAxis === 1 ? 1 : 3) as 1 | 3
  const size = (d: number | string, fallback: number) => (typeof d === 'number' && d > 0 ? d : fallback)
  const final = description.finalOperators[output.name]
  const softmax = final?.opType === 'Softmax'
  const guessed = isPyTorch ? IMAGENET : { mean: Array<number>(channels).fill(0), std: Array<number>(channels).fill(1) }
  const normalisation = answers.normalisation ?? { scale: 1 / 255, mean: guessed.mean.slice(0, channels), std: guessed.std.slice(0, channels) }
  const common = {
    member,
    input: {
      height: size(height, 256),
      width: size(width, 1600),
      layout,
      channels,
      scale: normalisation.scale,
      mean: normalisation.mean,
      std: normalisation.std,
      channelOrder: answers.channelOrder ?? 'RGB',
    },
    layoutGuessed,
    output: softmax || final?.opType === 'Sigmoid' ? ('probability' as const) : ('logit' as const),
    background: softmax ? 0 : null,
    batch: typeof batch === 'number' && batch > 0 ? batch : null,
    activationGuessed: !softmax && final?.opType !== 'Sigmoid',
    outputName: several ? output.name : null,
  } as const
  if (output.shape.length <= 2) {
    const n = output.shape.length === 2 ? size(output.shape[1], 1) : 1
    return { ...common, stage: 'classifier', classes: n - (softmax ? 1 : 0), outputSize: null }
  }
  if (output.shape.length !== 4) throw new DraftError(`${file}: output "${output.name}" has shape [${output.shape.join(', ')}]: neither a classifier's [N, K] nor a segmenter's 4 axes`)
  const [, p, q, r] = output.shape
  const [oh, ow, oc] = layout === 'NHWC' ? [p, q, r] : [q, r, p]
  const channelsOut = size(oc, 1)
  const outHeight = size(oh, common.input.height)
  const outWidth = size(ow, common.input.width)
  const outputSize = outHeight !== common.input.height || outWidth !== common.input.width ? { height: outHeight, width: outWidth } : null
  return { ...common, stage: 'segmenter', classes: channelsOut - (softmax ? 1 : 0), outputSize }
}

/**
 * Logits with as many channels as a member that ends in Softmax are read as softmax logits with
 * the same background channel (a graph alone cannot tell them from sigmoid logits: a guess).
 */
function alignSoftmax(readings: Reading[]): Reading[] {
  const softmax = readings.find((r) => r.stage === 'segmenter' && r.background !== null)
  if (!softmax) return readings
  return readings.map((r) =>
    r.stage === 'segmenter' && r.output === 'logit' && r.classes === softmax.classes + 1
      ? { ...r, output: 'softmax', background: softmax.background, classes: softmax.classes, activationGuessed: true }
      : r,
  )
}

function sameInput(a: Reading['input'], b: Reading['input']): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

function diffInput(own: Reading['input'], base: Reading['input']): Partial<Reading['input']> {
  return Object.fromEntries(Object.entries(own).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(base[key as keyof Reading['input']])))
}

function note(r: Reading): string {
  const { file, description } = r.member
  const final = description.finalOperators[r.outputName ?? description.outputs[0].name]
  const parts = [
    `${r.stage}`,
    `${r.input.layout} ${r.input.height}×${r.input.width}×${r.input.channels}`,
    r.batch ? `fixed batch ${r.batch}` : 'dynamic batch',
    `ends in ${final?.opType ?? 'nothing known'} → ${r.output}${r.activationGuessed ? ' (guessed)' : ''}${r.background !== null ? `, background channel ${r.background} (guessed)` : ''}`,
    `${r.classes} ${r.stage === 'classifier' ? (r.classes > 1 ? 'per-class gates' : 'any-defect gate') : 'classes'}`,
  ]
  if (r.outputSize) parts.push(`output ${r.outputSize.height}×${r.outputSize.width}`)
  if (r.outputName !== null) parts.push(`reads output "${r.outputName}" of ${description.outputs.length} (guessed)`)
  parts.push(`normalisation guessed from producer "${description.producer}"`)
  return `${file}: ${parts.join('; ')}`
}
