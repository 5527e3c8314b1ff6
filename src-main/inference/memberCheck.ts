// Checks a member's real ONNX signature (and the operator behind its output) against its resolved
// formulation, before any image runs. Pure: signatures in, a readable problem (or null) out. A
// mismatch that looks like a known formulation says which one and the key that declares it.
import { outputChannels, type InputFormulation, type MemberFormulation, type StageName } from '../../src-shared/formulation.ts'
import type { FinalOperator } from './onnxGraph.ts'
import type { TensorSignature } from './session.ts'

export type { StageName }

type Dim = number | string

/** Operators whose output is unbounded: a model ending in one gives logits. */
const LINEAR_OPS = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul', 'Add', 'BatchNormalization'])
/** Operators whose output is an index (a class label), not a score. */
const LABEL_OPS = new Set(['ArgMax', 'ArgMin', 'TopK'])

export function inputShape(input: InputFormulation): Dim[] {
  const { height, width, channels, layout } = input
  return layout === 'NHWC' ? ['batch', height, width, channels] : ['batch', channels, height, width]
}

/** Expected output shape; the batch axis is 'batch' (any value). */
export function outputShape(stage: StageName, member: MemberFormulation): Dim[] {
  const c = outputChannels(member.output)
  if (stage === 'classifier') return ['batch', c]
  const { height, width } = member.output
  return member.input.layout === 'NHWC' ? ['batch', height, width, c] : ['batch', c, height, width]
}

/** Returns null when the member fits, else a message naming the file, what is expected and what to do. */
export function checkMemberSignature(
  file: string,
  stage: StageName,
  inputs: readonly TensorSignature[],
  outputs: readonly TensorSignature[],
  member: MemberFormulation,
  finalOperator: FinalOperator | null = null,
): string | null {
  if (inputs.length !== 1) return `${file}: ${stage} members take exactly one input, this one has ${names(inputs)}`
  const output = member.outputName === null ? outputs[0] : outputs.find((o) => o.name === member.outputName)
  if (member.outputName !== null && !output) return `${file}: no output named "${member.outputName}"; it has ${outputs.map((o) => o.name).join(', ')} (set "outputName" to one of them)`
  if (!output) return `${file}: ${stage} members are read from one output, this one has none`
  if (outputs.length !== 1 && member.outputName === null) {
    return `${file}: ${stage} members are read from one output, this one has ${names(outputs)}: set the member's "outputName" to the one that holds the ${stage === 'segmenter' ? 'masks' : 'gate'}`
  }
  const [input] = inputs
  if (input.type !== 'float32' || member.input.dtype !== 'float32') return dtypeProblem(file, input, member.input.dtype)
  if (finalOperator && LABEL_OPS.has(finalOperator.opType)) return labelProblem(file, output.name, output.type, finalOperator.opType)
  if (output.type !== 'float32') {
    return `${file}: output "${output.name}" is ${output.type}; Coilscope reads float32 scores or probabilities: re-export the model with a float32 output (e.g. a Cast node at the end, if it holds scores and not class labels)`
  }
  const wantIn = inputShape(member.input)
  if (!fits(input.shape, wantIn)) return `${file}: input "${input.name}" has shape ${show(input.shape)}, the manifest expects ${show(wantIn)} (${member.input.layout})${layoutHint(input.shape, member.input)}`
  const wantOut = outputShape(stage, member)
  // A classifier of one channel may also return [batch].
  const outputFits = fits(output.shape, wantOut) || (stage === 'classifier' && wantOut[1] === 1 && fits(output.shape, ['batch']))
  if (!outputFits) return `${file}: output "${output.name}" has shape ${show(output.shape)}, the manifest expects ${show(wantOut)}${outputHint(stage, output.shape, member)}`
  return activationProblem(file, output.name, stage, member, finalOperator)
}

function dtypeProblem(file: string, input: TensorSignature, declared: string): string {
  const type = input.type !== 'float32' ? input.type : declared
  const fix =
    type === 'float16'
      ? 're-export it with a float32 input, or convert with onnxconverter-common: float16.convert_float_to_float16(model, keep_io_types=True)'
      : type === 'uint8'
        ? 're-export it with a float32 input that takes the normalised pixels (put the division by 255 in the manifest\'s "scale"), or add a Cast to the graph\'s input'
        : 're-export it with a float32 input'
  return `${file}: input "${input.name}" is ${type}; Coilscope feeds float32 tensors: ${fix}`
}

function labelProblem(file: string, name: string, type: string, opType: string): string {
  return `${file}: output "${name}" is ${type}, made by ${opType}: a map of class labels, which has no probabilities to threshold: export the scores from before the ${opType} (logits, or Softmax probabilities) and declare them with "output"`
}

function layoutHint(actual: readonly Dim[], want: InputFormulation): string {
  if (actual.length !== 4) return ''
  const [, a, b, c] = actual
  const channels = want.layout === 'NHWC' ? c : a
  if ((channels === 1 || channels === 3) && channels !== want.channels) return `; it takes ${channels} channel${channels === 1 ? '' : 's'}: set "channels": ${channels}`
  if (want.layout === 'NHWC' && (a === 1 || a === 3) && c !== want.channels) return '; it looks NCHW (PyTorch): set "layout": "NCHW"'
  if (want.layout === 'NCHW' && (c === 1 || c === 3) && a !== want.channels) return '; it looks NHWC (Keras/TensorFlow): set "layout": "NHWC"'
  if (typeof b === 'number' && b > 0 && b !== (want.layout === 'NHWC' ? want.width : want.height)) return '; set the input\'s "height" and "width" to the model\'s own size'
  return ''
}

function outputHint(stage: StageName, actual: readonly Dim[], member: MemberFormulation): string {
  const want = member.output
  const mapped = want.targets.length
  const channelAxis = stage === 'classifier' ? 1 : member.input.layout === 'NHWC' ? 3 : 1
  const channels = actual[channelAxis]
  if (typeof channels === 'number' && channels > 0 && channels !== outputChannels(want)) {
    if (channels === mapped + 1 && want.background === null) {
      return `; ${channels} channels for ${mapped} classes looks like softmax with a background channel: set "background" to its index (and "output": "softmax" if the model gives logits)`
    }
    if (stage === 'classifier' && mapped === 1) return `; ${channels} values per image look like one gate per class: set "gate": "perClass" and one threshold per class`
    return `; map the model's channels to class ids with "channels" (one class id per non-background channel)`
  }
  if (stage === 'segmenter' && actual.length === 4) {
    const [h, w] = member.input.layout === 'NHWC' ? [actual[1], actual[2]] : [actual[2], actual[3]]
    if (typeof h === 'number' && typeof w === 'number' && h > 0 && w > 0 && (h !== want.height || w !== want.width)) {
      return `; its output is ${h}×${w}: set "outputSize": { "height": ${h}, "width": ${w} } (it is scaled to the input size bilinearly)`
    }
  }
  return ''
}

/**
 * A Softmax that does not normalise across the channels of each pixel (or of each image, for a
 * classifier): across another axis, or, before opset 13, over everything from its axis on.
 */
function softmaxAxisProblem(where: string, stage: StageName, member: MemberFormulation, final: FinalOperator): string | null {
  if (final.axis === null || !final.axesKept) return null // a transpose or reshape follows: its axes are another tensor's
  const rank = stage === 'classifier' ? 2 : 4
  const axis = final.axis < 0 ? final.axis + rank : final.axis
  const channelAxis = stage === 'classifier' || member.input.layout === 'NCHW' ? 1 : rank - 1
  const fix = 'export the logits without the Softmax and declare "output": "softmax" (Coilscope applies it across the channels)'
  if (final.opset < 13 && axis !== rank - 1) {
    return `${where}: a Softmax of opset ${final.opset} across axis ${final.axis} of a ${rank}-axis output normalises over every axis from ${final.axis} on together, not per pixel: re-export with opset 13 or later, or ${fix}`
  }
  if (axis !== channelAxis) {
    const axisNames = member.input.layout === 'NCHW' || stage === 'classifier' ? ['batch', 'channels', 'height', 'width'] : ['batch', 'height', 'width', 'channels']
    return `${where}: Softmax across axis ${final.axis} (${axisNames[axis] ?? 'unknown'}), not the channel axis (${channelAxis} for ${stage === 'classifier' ? 'a classifier' : member.input.layout}): its values are not class probabilities per pixel: ${fix}`
  }
  return null
}

/** The declared activation against the operator that makes the output. */
function activationProblem(file: string, outputName: string, stage: StageName, member: MemberFormulation, final: FinalOperator | null): string | null {
  if (!final) return null
  const { activation, background, noBackground, targets } = member.output
  const where = `${file}: output "${outputName}" comes from ${final.opType}`
  if (final.opType === 'Softmax') {
    const axisProblem = softmaxAxisProblem(where, stage, member, final)
    if (axisProblem) return axisProblem
    if (activation !== 'probability') return `${where}, so it holds probabilities already, declared "${activation}": set "output": "probability" (with "background" for the background channel)`
    if (background === null && !noBackground && targets.length > 1) {
      return `${where} across its ${targets.length} channels, so one of them is probably background: set "background" to its index, or "background": "none" if every channel is a class`
    }
  }
  if (final.opType === 'LogSoftmax' && activation !== 'softmax') {
    return `${where}, so it holds log-probabilities, declared "${activation}": set "output": "softmax" (softmax of log-probabilities gives the probabilities back) with "background"`
  }
  if (final.opType === 'Sigmoid' && activation !== 'probability') return `${where}, so it holds probabilities already, declared "${activation}": set "output": "probability"`
  if (LINEAR_OPS.has(final.opType) && activation === 'probability') {
    return `${where}, so it holds unbounded scores (logits), declared "probability": set "output": "logit" (or "softmax" with a background channel)`
  }
  return null
}

function fits(actual: readonly Dim[], expected: readonly Dim[]): boolean {
  if (actual.length !== expected.length) return false
  // Symbolic or -1 dimensions are dynamic and accept any size; a fixed batch is honoured by runs.
  return expected.every((want, i) => {
    const have = actual[i]
    return typeof want === 'string' || typeof have === 'string' || have < 0 || have === want
  })
}

function show(shape: readonly Dim[]): string {
  return `[${shape.join(', ')}]`
}

function names(signatures: readonly TensorSignature[]): string {
  return signatures.length === 0 ? 'none' : `${signatures.length} (${signatures.map((s) => s.name).join(', ')})`
}
