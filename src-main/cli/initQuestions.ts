// On a terminal, `coilscope models init` asks the user to confirm or correct each guess the draft
// would otherwise mark unconfirmed: per member its layout (where the shape allows both), input
// normalisation, channel order, output kind, background channel and which class each channel is;
// for the set its class names, gate, thresholds, image size and provenance. The prompts are
// @inquirer/prompts; the answers go back into draftManifest, which stays pure.
import { confirm, input, select } from '@inquirer/prompts'
import { IMAGENET, read, readMembers, type Confirmation, type DraftMember, type MemberAnswers, type Normalisation, type Reading } from '../inference/draftManifest.ts'

const NORMALISATIONS: { name: string; value: string; normalisation: (channels: number) => Normalisation }[] = [
  { name: '0..1: value / 255 (Keras, TensorFlow)', value: 'unit', normalisation: (n) => ({ scale: 1 / 255, mean: Array(n).fill(0), std: Array(n).fill(1) }) },
  { name: 'ImageNet: value / 255, then (x − mean) / std (torchvision, timm, segmentation_models.pytorch)', value: 'imagenet', normalisation: (n) => ({ scale: 1 / 255, mean: IMAGENET.mean.slice(0, n), std: IMAGENET.std.slice(0, n) }) },
  { name: '−1..1: value / 127.5 − 1', value: 'symmetric', normalisation: (n) => ({ scale: 1 / 127.5, mean: Array(n).fill(1), std: Array(n).fill(1) }) },
  { name: '0..255: the 8-bit value as it is', value: 'raw', normalisation: (n) => ({ scale: 1, mean: Array(n).fill(0), std: Array(n).fill(1) }) },
]

const OUTPUTS = [
  { name: 'probability: the values are probabilities already (the graph applies sigmoid or softmax)', value: 'probability' as const },
  { name: 'logit: sigmoid is applied to each value', value: 'logit' as const },
  { name: 'softmax: softmax is applied across the channels of each pixel', value: 'softmax' as const },
]

/** Asks about every guess; the answers, applied by draftManifest, leave nothing unconfirmed. */
export async function askConfirmation(members: readonly DraftMember[]): Promise<Confirmation> {
  const answers: Record<string, MemberAnswers> = {}
  for (const reading of readMembers(members)) answers[reading.member.file] = await askMember(reading)
  const readings = readMembers(members, answers)
  const k = Math.max(...readings.filter((r) => r.stage === 'segmenter').flatMap((r) => answers[r.member.file].channels ?? []))
  const classNames = splitList(
    await input({
      message: `Names of classes 1..${k}, comma-separated:`,
      default: Array.from({ length: k }, (_, c) => `class ${c + 1}`).join(', '),
      validate: (text) => splitList(text).length === k || `give ${k} names`,
    }),
  )
  const classifiers = readings.filter((r) => r.stage === 'classifier')
  let gate: 'any' | 'perClass' | undefined
  let threshold: number[] | undefined
  if (classifiers.length > 0) {
    gate = await select({
      message: 'The classifier gates:',
      default: classifiers[0].classes > 1 ? 'perClass' : 'any',
      choices: [
        { name: 'any: one any-defect probability per image', value: 'any' as const },
        { name: `perClass: one probability per class (${k} outputs)`, value: 'perClass' as const },
      ],
    })
    threshold = await askNumbers(gate === 'perClass' ? `Gate thresholds (p >= threshold passes), one or ${k}:` : 'Gate threshold (p >= threshold passes):', '0.5', gate === 'perClass' ? k : 1, probability)
  }
  const upper = await askNumbers(`Segmenter threshold "upper" (a class exists if minArea pixels have p > upper), one or ${k}:`, '0.5', k, probability)
  const lower = await askNumbers(`Segmenter threshold "lower" (the mask is p > lower), one or ${k}:`, upper.join(', '), k, probability)
  const minArea = await askNumbers(`Minimum area in pixels per class, one or ${k}:`, '0', k, (n) => Number.isInteger(n) && n >= 0)
  const size = await input({ message: 'Source image size, height×width:', default: '256×1600', validate: (text) => parseSize(text) !== null || 'like 256×1600' })
  const trainedOn = await input({ message: 'What were these models trained on?', validate: (text) => text.trim().length > 0 || 'say in a few words' })
  const synthetic = await confirm({ message: 'Were those training images synthetic?', default: false })
  return {
    members: answers,
    set: {
      classNames,
      ...(gate ? { gate, threshold } : {}),
      postprocess: { upper, lower, minArea },
      imageSize: parseSize(size)!,
      provenance: { trainedOn: trainedOn.trim(), synthetic },
    },
  }
}

async function askMember(guessed: Reading): Promise<MemberAnswers> {
  const file = guessed.member.file
  const outputName =
    guessed.outputName === null
      ? undefined
      : await select({
          message: `${file}: it has ${guessed.member.description.outputs.length} outputs; the one to read is`,
          default: guessed.outputName,
          choices: guessed.member.description.outputs.map((o) => ({ name: `"${o.name}" [${o.shape.join(', ')}]`, value: o.name })),
        })
  // What follows depends on which output is read.
  const r = outputName === undefined ? guessed : { ...read(guessed.member, { outputName }), output: guessed.output, background: guessed.background }
  const shape = `[${r.member.description.inputs[0].shape.join(', ')}]`
  const layout = r.layoutGuessed
    ? await select({
        message: `${file}: input ${shape} is laid out as`,
        default: r.input.layout,
        choices: [
          { name: 'NHWC: batch, height, width, channels (Keras, TensorFlow)', value: 'NHWC' as const },
          { name: 'NCHW: batch, channels, height, width (PyTorch)', value: 'NCHW' as const },
        ],
      })
    : r.input.layout
  const n = r.input.channels
  const usual = NORMALISATIONS.find((c) => JSON.stringify(c.normalisation(n)) === JSON.stringify({ scale: r.input.scale, mean: r.input.mean, std: r.input.std }))
  const picked = await select({
    message: `${file}: its input is normalised as`,
    default: usual?.value,
    choices: [...NORMALISATIONS.map(({ name, value }) => ({ name, value })), { name: 'other: type scale, mean and std', value: 'other' }],
  })
  const normalisation = NORMALISATIONS.find((c) => c.value === picked)?.normalisation(n) ?? (await askNormalisation(file, n))
  const channelOrder =
    n === 3
      ? await select({
          message: `${file}: its colour channels are in`,
          default: 'RGB',
          choices: [
            { name: 'RGB order (PIL, Keras, torchvision)', value: 'RGB' as const },
            { name: 'BGR order (images read with OpenCV)', value: 'BGR' as const },
          ],
        })
      : undefined
  const final = r.member.description.finalOperators[r.outputName ?? r.member.description.outputs[0].name]?.opType ?? 'no known operator'
  const output = await select({ message: `${file}: its output (made by ${final}) holds`, default: r.output, choices: OUTPUTS })
  const total = r.classes + (r.background !== null ? 1 : 0)
  const background =
    output === 'logit' && r.background === null
      ? null
      : await askBackground(file, total, output === 'softmax' ? (r.background ?? 0) : r.background)
  const classChannels = total - (background !== null ? 1 : 0)
  const channels =
    r.stage === 'segmenter'
      ? await askNumbers(
          `${file}: the class id of each of its ${classChannels} class channels, in order:`,
          Array.from({ length: classChannels }, (_, c) => c + 1).join(', '),
          classChannels,
          (id) => Number.isInteger(id) && id >= 1,
          false,
        )
      : undefined
  return { ...(outputName ? { outputName } : {}), layout, normalisation, ...(channelOrder ? { channelOrder } : {}), output, background, ...(channels ? { channels } : {}) }
}

async function askBackground(file: string, total: number, guess: number | null): Promise<number | null> {
  const text = await input({
    message: `${file}: which of its ${total} output channels is background (0..${total - 1}, or "none")?`,
    default: guess === null ? 'none' : String(guess),
    validate: (t) => t.trim() === 'none' || (Number.isInteger(Number(t)) && Number(t) >= 0 && Number(t) < total) || `a channel 0..${total - 1}, or none`,
  })
  return text.trim() === 'none' ? null : Number(text)
}

async function askNormalisation(file: string, n: number): Promise<Normalisation> {
  const [scale] = await askNumbers(`${file}: scale (multiplies the 8-bit value):`, String(1 / 255), 1, (x) => x > 0)
  const mean = await askNumbers(`${file}: mean, one per channel:`, Array(n).fill(0).join(', '), n, Number.isFinite, false)
  const std = await askNumbers(`${file}: std, one per channel:`, Array(n).fill(1).join(', '), n, (x) => x > 0, false)
  return { scale, mean, std }
}

/** A comma-separated list of `count` numbers, or one number for all when `one` allows it. */
async function askNumbers(message: string, fallback: string, count: number, valid: (n: number) => boolean, one = true): Promise<number[]> {
  const parse = (text: string) => splitList(text).map(Number)
  const text = await input({
    message,
    default: fallback,
    validate: (t) => {
      const values = parse(t)
      if (values.length !== count && !(one && values.length === 1)) return one && count > 1 ? `give 1 or ${count} numbers` : `give ${count} number${count > 1 ? 's' : ''}`
      return values.every((v) => Number.isFinite(v) && valid(v)) || `not valid here: ${t}`
    },
  })
  const values = parse(text)
  return values.length === 1 && count > 1 ? Array(count).fill(values[0]) : values
}

const probability = (n: number) => n >= 0 && n <= 1
const splitList = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean)

function parseSize(text: string): { height: number; width: number } | null {
  const match = /^\s*(\d+)\s*[×x]\s*(\d+)\s*$/.exec(text)
  return match && Number(match[1]) > 0 && Number(match[2]) > 0 ? { height: Number(match[1]), width: Number(match[2]) } : null
}
