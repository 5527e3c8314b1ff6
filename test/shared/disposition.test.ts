// Disposition rules, every kind exactly at its bounds: a value one step below the bound does not
// fire, the bound itself does; zones at the band's edge; the worst outcome wins; where is reported.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isInEdgeBand, proposeDisposition, type CoilDefect, type CoilForDisposition } from '../../src-shared/disposition.ts'
import { formatRuleSet, parseRuleSet, ruleSetSchema, type RuleSet } from '../../src-shared/dispositionRules.ts'

const WIDTH = 1000
/** A defect of `areaMm2` in class `classId` with its head at `alongMm`, `acrossMm` from the first edge, 10 mm wide. */
function defect(classId: number, areaMm2: number, alongMm: number, acrossMm = 500, imageId = 1): CoilDefect {
  return { imageId, classId, areaMm2, box: { alongFromMm: alongMm, alongToMm: alongMm + 10, acrossFromMm: acrossMm, acrossToMm: acrossMm + 10 } }
}
const coil = (defects: CoilDefect[]): CoilForDisposition => ({ lengthMm: 10_000, widthMm: WIDTH, defects })
function ruleSet(rule: Record<string, unknown>, edgeBandMm = 50): RuleSet {
  return ruleSetSchema.parse({ name: 'plant', version: 3, edgeBandMm, rules: [{ id: 'r', outcome: 'reject', reason: 'because', ...rule }] })
}
const fires = (rule: Record<string, unknown>, defects: CoilDefect[], band?: number) =>
  proposeDisposition(coil(defects), ruleSet(rule, band)).fired.length === 1

test('defectArea fires on a single defect at its bound, not just below it, and only for its classes', () => {
  const rule = { kind: 'defectArea', atLeastMm2: 100, classes: [3] }
  assert.equal(fires(rule, [defect(3, 100, 0)]), true)
  assert.equal(fires(rule, [defect(3, 99.999, 0)]), false)
  assert.equal(fires(rule, [defect(4, 500, 0)]), false, 'another class')
  assert.equal(fires(rule, [defect(3, 60, 0), defect(3, 60, 10)]), false, 'two small defects are not one big one')
  const proposal = proposeDisposition(coil([defect(3, 150, 2000, 100, 7), defect(3, 20, 0), defect(3, 120, 5000)]), ruleSet(rule))
  assert.equal(proposal.fired[0].value, 150)
  assert.deepEqual(proposal.fired[0].where.map((w) => [w.imageId, w.alongFromMm]), [[7, 2000], [1, 5000]])
})

test('count per coil fires at atLeast defects, not one fewer; minDefectAreaMm2 leaves out smaller ones at its bound', () => {
  const rule = { kind: 'count', per: 'coil', atLeast: 3, minDefectAreaMm2: 5 }
  assert.equal(fires(rule, [defect(1, 5, 0), defect(1, 5, 3000), defect(2, 9, 9000)]), true)
  assert.equal(fires(rule, [defect(1, 5, 0), defect(1, 5, 3000)]), false)
  assert.equal(fires(rule, [defect(1, 5, 0), defect(1, 5, 3000), defect(2, 4.999, 9000)]), false, 'the third is below the smallest counted')
})

test('count per metre fires where one metre holds atLeast defects; metre k is [k m, k+1 m) by the defect head', () => {
  const rule = { kind: 'count', per: 'metre', atLeast: 2 }
  assert.equal(fires(rule, [defect(1, 1, 999), defect(1, 1, 1000)]), false, 'two metres, one each')
  const proposal = proposeDisposition(coil([defect(1, 1, 1000), defect(1, 1, 1999.5), defect(1, 1, 4000), defect(1, 1, 4500), defect(1, 1, 4999)]), ruleSet(rule))
  assert.equal(proposal.fired.length, 1)
  assert.equal(proposal.fired[0].value, 3)
  assert.deepEqual(proposal.fired[0].where, [
    { imageId: null, alongFromMm: 1000, alongToMm: 2000, acrossFromMm: 0, acrossToMm: WIDTH },
    { imageId: null, alongFromMm: 4000, alongToMm: 5000, acrossFromMm: 0, acrossToMm: WIDTH },
  ])
})

test('totalArea per coil and per metre fire at their bound in mm², not below', () => {
  assert.equal(fires({ kind: 'totalArea', per: 'coil', atLeastMm2: 300 }, [defect(1, 100, 0), defect(2, 200, 8000)]), true)
  assert.equal(fires({ kind: 'totalArea', per: 'coil', atLeastMm2: 300 }, [defect(1, 100, 0), defect(2, 199.5, 8000)]), false)
  assert.equal(fires({ kind: 'totalArea', per: 'metre', atLeastMm2: 300 }, [defect(1, 100, 0), defect(2, 200, 8000)]), false, 'different metres')
  assert.equal(fires({ kind: 'totalArea', per: 'metre', atLeastMm2: 300 }, [defect(1, 100, 8100), defect(2, 200, 8900)]), true)
})

test('zones: a defect reaching into the band of either edge is edge; one touching the band boundary is centre', () => {
  const band = 50
  assert.equal(isInEdgeBand({ alongFromMm: 0, alongToMm: 1, acrossFromMm: 50, acrossToMm: 950 }, WIDTH, band), false)
  assert.equal(isInEdgeBand({ alongFromMm: 0, alongToMm: 1, acrossFromMm: 49.5, acrossToMm: 60 }, WIDTH, band), true)
  assert.equal(isInEdgeBand({ alongFromMm: 0, alongToMm: 1, acrossFromMm: 900, acrossToMm: 950.5 }, WIDTH, band), true)
  const edgeRule = { kind: 'count', per: 'coil', atLeast: 1, zone: 'edge' }
  const centreRule = { ...edgeRule, zone: 'centre' }
  assert.equal(fires(edgeRule, [defect(1, 1, 0, 40)]), true) // 40…50 reaches into 0…50
  assert.equal(fires(edgeRule, [defect(1, 1, 0, 50)]), false) // 50…60 touches the band boundary
  assert.equal(fires(edgeRule, [defect(1, 1, 0, 940)]), false) // 940…950: up to the far band's boundary
  assert.equal(fires(edgeRule, [defect(1, 1, 0, 941)]), true)
  assert.equal(fires(centreRule, [defect(1, 1, 0, 50)]), true)
  assert.equal(fires(centreRule, [defect(1, 1, 0, 40)]), false)
  assert.equal(fires(edgeRule, [defect(1, 1, 0, 0)], 0), false, 'a zero band has no edge')
})

test('the proposal is the worst outcome among the fired rules, accept when none fired, with the rule set named', () => {
  const set = ruleSetSchema.parse({
    name: 'plant', version: 2, edgeBandMm: 0,
    rules: [
      { id: 'small', kind: 'count', per: 'coil', atLeast: 1, outcome: 'downgrade', reason: 'any defect' },
      { id: 'big', kind: 'defectArea', atLeastMm2: 1000, outcome: 'reject', reason: 'a large defect' },
      { id: 'note', kind: 'count', per: 'coil', atLeast: 1, outcome: 'accept', reason: 'noted' },
    ],
  })
  assert.deepEqual(proposeDisposition(coil([]), set), { outcome: 'accept', ruleSet: { name: 'plant', version: 2 }, fired: [] })
  const down = proposeDisposition(coil([defect(1, 10, 0)]), set)
  assert.equal(down.outcome, 'downgrade')
  assert.deepEqual(down.fired.map((f) => [f.ruleId, f.outcome, f.reason]), [['small', 'downgrade', 'any defect'], ['note', 'accept', 'noted']])
  assert.equal(proposeDisposition(coil([defect(1, 1000, 0)]), set).outcome, 'reject')
})

test('rule sets: JSON round trip with defaults written out; bad files are refused naming the file and every problem', () => {
  const set = ruleSet({ kind: 'defectArea', atLeastMm2: 1 })
  assert.deepEqual(parseRuleSet(formatRuleSet(set), 'x.json'), set)
  assert.deepEqual(set.rules[0], { id: 'r', kind: 'defectArea', atLeastMm2: 1, classes: [], zone: 'anywhere', outcome: 'reject', reason: 'because' })
  assert.throws(() => parseRuleSet('{', 'rules.json'), /^Error: rules.json: not JSON/)
  const bad = { name: 'p', version: 0, edgeBandMm: -1, rules: [
    { id: 'a', kind: 'count', per: 'week', atLeast: 1, outcome: 'reject', reason: 'r' },
    { id: 'a', kind: 'defectArea', atLeastMm2: 1, outcome: 'scrap', reason: 'r' },
  ] }
  assert.throws(() => parseRuleSet(JSON.stringify(bad), 'rules.json'), (error: Error) => {
    for (const path of ['version', 'edgeBandMm', 'rules.0.per', 'rules.1.outcome']) assert.match(error.message, new RegExp(`${path}:`))
    return /^rules.json: not a valid rule set/.test(error.message)
  })
  const twice = { name: 'p', version: 1, edgeBandMm: 0, rules: [set.rules[0], set.rules[0]] }
  assert.throws(() => parseRuleSet(JSON.stringify(twice), 'r.json'), /rules.1.id: rule id "r" is used twice/)
})
