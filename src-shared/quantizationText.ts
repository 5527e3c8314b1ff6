// A quantized set's record in words, for `coilscope models` and `models quantize`.
import type { Quantization } from './quantizationSchema.ts'

export function describeQuantization(q: Quantization): string[] {
  const lines = [
    `int8 of ${q.origin.id} ${q.origin.version} (manifest ${q.origin.manifestSha256.slice(0, 12)}), calibrated on ${q.calibration.images} images (${q.calibration.sha256.slice(0, 12)}); ${q.weightBits}-bit weights`,
  ]
  for (const m of q.members) {
    lines.push(m.precision === 'fp32' ? `${m.file}: fp32 — ${m.reason}` : `${m.file}: ${m.precision} (${m.quantizedNodes} nodes int8)`)
    for (const k of m.keptFp32) lines.push(`  kept fp32: ${k.node} — ${k.reason}`)
  }
  lines.push(...describeParity(q))
  return lines
}

export function describeParity(q: Quantization): string[] {
  const p = q.parity
  if (!p) return ['parity: not measured (run models quantize with --holdout)']
  const f = (x: number | null | undefined, digits = 4) => (x == null ? '—' : x.toFixed(digits))
  const lines = [
    `parity on ${p.images} held-out images (${p.measuredAt.slice(0, 10)}): mean Dice between fp32 and int8 masks ${f(p.meanDiceBetween)}; |Δp| mean ${f(p.probability.mean, 5)}, max ${f(p.probability.max, 3)}` +
      (p.meanDice ? `; mean Dice vs truth fp32 ${f(p.meanDice.fp32)}, int8 ${f(p.meanDice.int8)}` : ''),
  ]
  for (const c of p.perClass) {
    const truth = c.truth ? `; Dice on defects fp32 ${f(c.truth.fp32.diceOnDefects)}, int8 ${f(c.truth.int8.diceOnDefects)}` : ''
    lines.push(`  class ${c.classId}: Dice between ${f(c.diceBetween)}; detected fp32 ${f(c.detected.fp32, 3)}, int8 ${f(c.detected.int8, 3)}; |Δp| mean ${f(c.probability.mean, 5)}, max ${f(c.probability.max, 3)}${truth}`)
  }
  if (p.verdict) lines.push(p.verdict.meets ? '  within the parity targets' : `  OUTSIDE the parity targets: ${p.verdict.lines.join('; ')}`)
  return lines
}
