import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { memberWeights, parseManifest, validateManifest } from '../../src-shared/manifest.ts'

const fixture = JSON.parse(readFileSync(new URL('../fixtures/models/nhwc/manifest.json', import.meta.url), 'utf8'))
const clone = () => structuredClone(fixture)

function errorsOf(json: unknown): readonly string[] {
  const result = validateManifest(json, 'models/x/manifest.json')
  assert.equal(result.ok, false)
  return result.ok ? [] : result.errors
}

test('the fixture manifest is valid and gets defaults', () => {
  const result = validateManifest(clone(), 'm.json')
  assert.ok(result.ok)
  assert.equal(result.manifest.classes.length, 4)
  assert.deepEqual(result.manifest.tta, ['none'])
})

test('a missing required key names the file and the key', () => {
  const json = clone()
  delete json.input.layout
  const [error] = errorsOf(json)
  assert.match(error, /^models\/x\/manifest\.json: input\.layout: /)
})

test('unknown keys are rejected by name', () => {
  const json = clone()
  json.segmenter.treshold = 0.5
  assert.deepEqual(errorsOf(json), ['models/x/manifest.json: segmenter: unknown key "treshold"'])
})

test('per-class arrays must have one value per class', () => {
  const json = clone()
  json.segmenter.postprocess.minArea = [1, 2, 3]
  assert.match(errorsOf(json)[0], /segmenter\.postprocess\.minArea: expected 4 values \(one per class\), got 3/)
})

test('class ids run 1..K; mean/std match channels; lower <= upper; member files stay in the folder', () => {
  const json = clone()
  json.classes[1].id = 7
  json.input.mean = [0]
  json.segmenter.postprocess.lower[0] = 0.9
  json.segmenter.members[0].file = '../elsewhere.onnx'
  const errors = errorsOf(json).join('\n')
  assert.match(errors, /classes\.1\.id: expected 2/)
  assert.match(errors, /input\.mean: expected 3 values/)
  assert.match(errors, /segmenter\.postprocess\.lower\.0: lower 0\.9 is above upper 0\.7/)
  assert.match(errors, /segmenter\.members\.0\.file: a file name ending in \.onnx/)
})

test('invalid JSON is reported like a schema error', () => {
  const result = parseManifest('{ "id": ', 'm.json')
  assert.equal(result.ok, false)
  assert.match(result.ok ? '' : result.errors[0], /^m\.json: not valid JSON/)
})

test('member weights default to equal and are normalised', () => {
  assert.deepEqual(memberWeights([{ file: 'a.onnx' }, { file: 'b.onnx' }]), [0.5, 0.5])
  assert.deepEqual(memberWeights([{ file: 'a.onnx', weight: 3 }, { file: 'b.onnx', weight: 1 }]), [0.75, 0.25])
})
