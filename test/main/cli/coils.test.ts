// From synthetic coils to dispositions, as a user runs it: `synth --coils 3 --images-per-coil N`,
// one `inspect` of the folder of coil sub-folders into a database, `coils --rules` lists the
// proposals. The expected proposals come from the synthetic truth through the same pure functions,
// under a rule set whose bounds sit between the coils' true totals, so the three coils get three
// different outcomes. Every step is a real command in a child process; the steps share one set of
// coils and one database, and each command is run once where one run can show several things.
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { before, test } from 'node:test'
import { parse } from 'csv-parse/sync'
import { imagePositionsMm, DEFAULT_GEOMETRY } from '../../../src-shared/coilGeometry.ts'
import { compareNames } from '../../../src-shared/coilGrouping.ts'
import { defectsOnCoil } from '../../../src-shared/coilDefects.ts'
import { proposeDisposition, type CoilDefect, type Proposal } from '../../../src-shared/disposition.ts'
import { ruleSetSchema, type RuleSet } from '../../../src-shared/dispositionRules.ts'
import { parseSeverstalCsv } from '../../../src-shared/severstalCsv.ts'
import type { CoilSummary } from '../../../src-main/coils/coilSummary.ts'
import { runCli } from '../../helpers/cli.ts'
import { tempDir } from '../../helpers/images.ts'

const COILS = ['C01', 'C02', 'C03']
// 12 images a coil under seed 8: true totals of about 87, 149 and 399 thousand mm², far enough
// apart that the models' error on area (a few per cent) cannot move a coil across a bound.
const PER_COIL = 12
const SEED = '8'
const WIDTH = 1600
const HEIGHT = 256
const dir = tempDir()
const db = join(tempDir(), 'coils.db')
const rulesFile = join(dir, 'rules.json')
const truth = new Map<string, CoilDefect[]>()
let rules: RuleSet

/** A coil's true defects: its truth.csv placed by file-name order and the default geometry (1 mm/px, x along). */
function trueDefects(coil: string): CoilDefect[] {
  const table = parseSeverstalCsv(readFileSync(join(dir, coil, 'truth.csv'), 'utf8'), 'truth.csv')
  const files = readFileSync(join(dir, 'coils.csv'), 'utf8').trim().split('\n').slice(1)
    .map((line) => line.split(',')).filter(([, c]) => c === coil).map(([file]) => file.slice(coil.length + 1))
  assert.deepEqual(files, [...files].sort(compareNames), 'coils.csv lists files in the order the grouping reads them')
  const { positionsMm } = imagePositionsMm(files.map(() => ({ width: WIDTH, height: HEIGHT })), DEFAULT_GEOMETRY)
  const images = files.map((file, k) => ({
    imageId: k, positionMm: positionsMm[k], width: WIDTH, height: HEIGHT,
    masks: table.masks.filter((m) => m.imageId === file).map((m) => ({ classId: m.classId, rle: m.rle })),
  }))
  return defectsOnCoil(images, DEFAULT_GEOMETRY)
}

const totalArea = (defects: readonly CoilDefect[]) => defects.reduce((s, d) => s + d.areaMm2, 0)

before(() => {
  const synth = runCli(['synth', dir, '--coils', '3', '--images-per-coil', String(PER_COIL), '--seed', SEED])
  assert.equal(synth.status, 0, synth.stderr)
  for (const coil of COILS) truth.set(coil, trueDefects(coil))
  // Bounds halfway between the coils' true total defect areas: the least defective is accepted,
  // the middle one downgraded, the most defective rejected.
  const totals = COILS.map((c) => totalArea(truth.get(c)!)).sort((a, b) => a - b)
  rules = ruleSetSchema.parse({
    name: 'synthetic plant', version: 1, edgeBandMm: 20,
    rules: [
      { id: 'defect area', kind: 'totalArea', per: 'coil', atLeastMm2: Math.round((totals[0] + totals[1]) / 2), outcome: 'downgrade', reason: 'too much defect area for prime' },
      { id: 'heavy', kind: 'totalArea', per: 'coil', atLeastMm2: Math.round((totals[1] + totals[2]) / 2), outcome: 'reject', reason: 'too much defect area to ship' },
    ],
  })
  writeFileSync(rulesFile, JSON.stringify(rules))
  // The folder of coil sub-folders is one source; its sub-folders group into the coils by default.
  const inspect = runCli(['inspect', dir, '--db', db, '--out', join(dir, 'submission.csv')])
  assert.equal(inspect.status, 0, inspect.stderr)
})

let listed: CoilSummary[]

test('the rule set gives the three coils three different outcomes on the truth', () => {
  const outcomes = COILS.map((c) => proposeDisposition({ lengthMm: PER_COIL * WIDTH, widthMm: HEIGHT, defects: truth.get(c)! }, rules).outcome)
  assert.deepEqual([...outcomes].sort(), ['accept', 'downgrade', 'reject'])
})

test('coilscope coils lists each coil folder as a coil with its length, and proposes what the truth implies', () => {
  const run = runCli(['coils', '--db', db, '--rules', rulesFile, '--json'])
  assert.equal(run.status, 0, run.stderr)
  const coils = JSON.parse(run.stdout) as CoilSummary[]
  listed = coils
  assert.deepEqual(coils.map((c) => [c.name, c.images, c.lengthMm, c.widthMm]), COILS.map((c) => [c, PER_COIL, PER_COIL * WIDTH, HEIGHT]))
  for (const coil of coils) {
    const truthDefects = truth.get(coil.name)!
    const expected = proposeDisposition({ lengthMm: coil.lengthMm, widthMm: coil.widthMm, defects: truthDefects }, rules)
    const modelArea = Object.values(coil.defectAreaMm2PerClass).reduce((a, b) => a + b, 0)
    process.stderr.write(`${coil.name}: truth ${truthDefects.length} defects ${totalArea(truthDefects)} mm² → ${expected.outcome}; model ${Object.values(coil.defectsPerClass).reduce((a, b) => a + b, 0)} defects ${modelArea} mm² → ${coil.proposal!.outcome}\n`)
    assert.equal(coil.proposal!.outcome, expected.outcome, coil.name)
    assert.deepEqual(coil.proposal!.fired.map((f) => f.ruleId), expected.fired.map((f) => f.ruleId), coil.name)
    assert.equal(coil.decision, null)
  }
})

test('coilscope disposition evaluates one coil headless, records a decision, and refuses bad input with a clear message', () => {
  const coil = listed[0]
  const evaluated = runCli(['disposition', '--db', db, '--coil', String(coil.id), '--rules', rulesFile, '--json'])
  assert.equal(evaluated.status, 0, evaluated.stderr)
  const { proposal, defects } = JSON.parse(evaluated.stdout) as { proposal: Proposal; defects: unknown[] }
  assert.deepEqual(proposal, coil.proposal, 'the same proposal as the listing')
  assert.equal(defects.length, Object.values(coil.defectsPerClass).reduce((a, b) => a + b, 0))

  writeFileSync(join(dir, 'bad-rules.json'), JSON.stringify({ name: 'x', version: 1, edgeBandMm: 5, rules: [{ id: 'r', kind: 'count', per: 'week', atLeast: 1, outcome: 'reject', reason: 'r' }] }))
  const bad = runCli(['disposition', '--db', db, '--coil', String(coil.id), '--rules', join(dir, 'bad-rules.json')])
  assert.equal(bad.status, 2)
  assert.match(bad.stderr, /bad-rules.json: not a valid rule set: rules.0.per:/)
  assert.equal(runCli(['disposition', '--db', db, '--coil', '999', '--rules', rulesFile]).status, 2)

  const other = proposal.outcome === 'reject' ? 'downgrade' : 'reject'
  const noNote = runCli(['disposition', '--db', db, '--coil', String(coil.id), '--rules', rulesFile, '--decide', other, '--author', 'ana'])
  assert.equal(noNote.status, 2)
  assert.match(noNote.stderr, /needs a note/)
  const decided = runCli(['disposition', '--db', db, '--coil', String(coil.id), '--rules', rulesFile, '--decide', other, '--author', 'ana', '--note', 'seen on the line'])
  assert.equal(decided.status, 0, decided.stderr)
  // One listing after the decision: the text on stdout and the coils CSV.
  const csvPath = join(dir, 'coils-out.csv')
  const after = runCli(['coils', '--db', db, '--csv', csvPath])
  assert.equal(after.status, 0, after.stderr)
  assert.match(after.stdout, new RegExp(`\\t${coil.name}\\t.*overridden to ${other} by ana`))
  const rows = parse(readFileSync(csvPath, 'utf8'), { columns: true }) as Record<string, string>[]
  assert.deepEqual(rows.map((r) => [r.coil, r.length_m, r.images, r.proposed, r.rule_set_version]),
    listed.map((c) => [c.name, String((PER_COIL * WIDTH) / 1000), String(PER_COIL), c.proposal!.outcome, '1']))
  assert.deepEqual([rows[0].confirmed, rows[0].decision, rows[0].reviewer, rows[0].note, rows[0].decision_rule_set_version, rows[0].decision_out_of_date],
    [other, 'override', 'ana', 'seen on the line', '1', 'no'])
  assert.equal(rows[0].defects_class_3, String(coil.defectsPerClass[3] ?? 0))
})

test('coilscope coils refuses a pattern only a backtracking engine can run, naming the source, and keeps the grouping', () => {
  const hostile = runCli(['coils', '--db', db, '--source', dir, '--pattern', '(?<coil>\\w+)(?=_)_(?<seq>\\d+)'])
  assert.equal(hostile.status, 2)
  assert.match(hostile.stderr, new RegExp(`${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*the pattern uses what only a backtracking engine can run`))
  const after = runCli(['coils', '--db', db, '--json'])
  assert.equal(after.status, 0, after.stderr)
  assert.deepEqual((JSON.parse(after.stdout) as CoilSummary[]).map((c) => [c.name, c.images]), COILS.map((c) => [c, PER_COIL]))
})
