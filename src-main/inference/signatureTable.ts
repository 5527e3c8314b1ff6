// The signature table: each member's real inputs and outputs as its file declares them, and how the
// manifest reads them (layout, size, channel order, normalisation, activation, channels → classes).
import type { MemberFormulation, StageName } from '../../src-shared/formulation.ts'
import type { ModelDescription } from './onnxGraph.ts'
import type { TensorSignature } from './session.ts'

export interface SignatureRow {
  readonly stage: StageName
  readonly file: string
  readonly description: ModelDescription
  /** How the manifest maps the member (absent for a folder without a manifest yet). */
  readonly formulation?: MemberFormulation
}

export function formatSignatureTable(rows: readonly SignatureRow[]): string {
  const lines: string[] = []
  for (const { stage, file, description, formulation } of rows) {
    lines.push(`${stage}  ${file}`)
    lines.push(`  producer ${description.producer}; IR ${description.irVersion}; opsets ${description.opsets}`)
    for (const input of description.inputs) lines.push(`  input   ${tensor(input)}${staticBatch(input)}`)
    for (const output of description.outputs) {
      const final = description.finalOperators[output.name]
      lines.push(`  output  ${tensor(output)}; made by ${final ? final.opType + (final.axis !== null ? ` (axis ${final.axis})` : '') : 'no node'}`)
    }
    if (formulation) lines.push(...mapping(formulation).map((line) => `  manifest ${line}`))
  }
  return `${lines.join('\n')}\n`
}

function tensor(t: TensorSignature): string {
  return `"${t.name}" ${t.type} [${t.shape.join(', ')}]`
}

function staticBatch(t: TensorSignature): string {
  const batch = t.shape[0]
  return typeof batch === 'number' && batch > 0 ? `; fixed batch ${batch} (runs ${batch} image${batch > 1 ? 's' : ''} at a time)` : ''
}

function mapping(m: MemberFormulation): string[] {
  const { input, output } = m
  const targets = output.targets.map((t) => (t === 0 ? 'any defect' : `class ${t}`))
  const channels: string[] = []
  for (let ch = 0, mapped = 0; ch < output.targets.length + (output.background === null ? 0 : 1); ch++) {
    channels.push(ch === output.background ? `${ch}→background` : `${ch}→${targets[mapped++]}`)
  }
  return [
    `input: ${input.layout} ${input.height}×${input.width}×${input.channels} ${input.channelOrder} ${input.dtype}; (value·${round(input.scale)} − [${input.mean.map(round)}]) / [${input.std.map(round)}]`,
    `output: ${output.activation}; channels ${channels.join(', ')}; ${output.height}×${output.width}; weight ${round(m.weight)}`,
  ]
}

function round(x: number): string {
  return String(Number(x.toPrecision(6)))
}
