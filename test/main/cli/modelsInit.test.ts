// `coilscope models init` on every fixture's .onnx files, `models <set> --show`, `--root` on a set's
// own folder, and the manifest's messages, through the real CLI.
import assert from 'node:assert/strict'
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { before, test } from 'node:test'
import { encodeRle } from '../../../src-shared/rle.ts'
import { parseSeverstalCsv } from '../../../src-shared/severstalCsv.ts'
import { runCli, type CliRun } from '../../helpers/cli.ts'
import { blockMask, FIXTURES, IMAGE_H, IMAGE_W, stripWithBlock, tempDir, writeGray } from '../../helpers/images.ts'

const BAND1 = { top: 64, bottom: 128, left: 200, right: 800 }
const BAND2 = { top: 128, bottom: 192, left: 200, right: 800 }
const images: Record<string, string> = {}

/** A folder with only the .onnx files of fixture set `name` (under `root`, if given). */
function onnxOnly(name: string, root = tempDir()): string {
  const dir = join(root, name)
  mkdirSync(dir)
  for (const file of readdirSync(join(FIXTURES, name)).filter((f) => f.endsWith('.onnx'))) cpSync(join(FIXTURES, name, file), join(dir, file))
  return dir
}

const rle = (block: typeof BAND1) => encodeRle(blockMask(block), IMAGE_H, IMAGE_W)

// The draft's guesses (0..1 or ImageNet input from the producer, thresholds 0.5, no minimum area)
// fit these fixtures, so the drafted set finds each fixture's block exactly — once the activation
// it could not read from the graph (an output made by Mul) is confirmed, as a user would.
const confirmed = new Set(['perclass', 'stride4', 'partial'])
const runs: [string, string, string[]][] = [
  ['keras', 'band1', ['', rle(BAND1), '', '']],
  ['smp', 'band1', ['', rle(BAND1), '', '']],
  ['softmax5', 'band1', ['', rle(BAND1), '', '']],
  ['perclass', 'band1', ['', rle(BAND1), '', '']],
  ['stride4', 'band1-black', null as never],
  ['partial', 'band2', [rle(BAND2)]],
  ['mixed', 'band1', ['', rle(BAND1), '', '']],
  ['nchw', 'band1', ['', rle(BAND1), '', '']],
]

// Every fixture's draft under one root, so that one `models --root` lists them all.
const drafts = { root: '', inits: {} as Record<string, CliRun>, listed: [] as { dir: string; valid: boolean; problems: string[]; unconfirmed: string[] }[], text: '' }

before(async () => {
  for (const [name, background, block] of [['band1', 100, BAND1], ['band1-black', 0, BAND1], ['band2', 100, BAND2]] as const) {
    images[name] = tempDir()
    await writeGray(join(images[name], `${name}.png`), stripWithBlock(background, { value: 240, ...block }), 'png')
  }
  drafts.root = tempDir()
  for (const [name] of runs) drafts.inits[name] = runCli(['models', 'init', onnxOnly(name, drafts.root)])
  const listed = runCli(['models', '--root', drafts.root, '--json'])
  assert.equal(listed.status, 0, listed.stderr)
  drafts.listed = JSON.parse(listed.stdout)
  drafts.text = runCli(['models', '--root', drafts.root]).stdout
})

for (const [name, image, expected] of runs) {
  test(`models init on ${name}'s .onnx files writes a draft that validates, is flagged unconfirmed, and runs`, () => {
    const dir = join(drafts.root, name)
    const init = drafts.inits[name]
    assert.equal(init.status, 0, init.stderr)
    assert.match(init.stdout, new RegExp(`Wrote ${join(dir, 'manifest.json')}`))
    const status = drafts.listed.find((s) => s.dir === dir)!
    assert.equal(status.valid, true, status.problems.join('\n'))
    assert.ok(status.unconfirmed.includes('input.mean') && status.unconfirmed.includes('provenance'))
    assert.match(drafts.text, new RegExp(`valid  ${dir}\n.*\n.*\n.*\n  UNCONFIRMED \\(guessed by models init, check them\\): input\\.scale, input\\.mean`))
    if (confirmed.has(name)) confirmProbabilities(dir)
    const csv = join(tempDir(), 'out.csv')
    const run = runCli(['inspect', images[image], '--models', dir, '--out', csv, '--provider', 'cpu'])
    assert.equal(run.status, 0, run.stderr)
    const table = parseSeverstalCsv(readFileSync(csv, 'utf8'), csv)
    const classIds = Array.from({ length: expected?.length ?? 4 }, (_, i) => i + 1)
    const masks = classIds.map((c) => table.masks.find((m) => m.classId === c)?.rle ?? '')
    if (expected) assert.deepEqual(masks, expected)
    else assert.equal(masks.filter(Boolean).length, 1) // stride4: class 2 only (its exact mask is in formulations.test.ts)
  })
}

/** The user's edit: these segmenters give probabilities (their output is made by Mul, which the draft cannot read). */
function confirmProbabilities(dir: string): void {
  const file = join(dir, 'manifest.json')
  const manifest = JSON.parse(readFileSync(file, 'utf8'))
  assert.ok(manifest.unconfirmed.includes('segmenter.members.0.output'))
  manifest.segmenter.output = 'probability'
  manifest.unconfirmed = manifest.unconfirmed.filter((key: string) => key !== 'segmenter.members.0.output')
  writeFileSync(file, JSON.stringify(manifest))
}

test('the init transcript shows each member\'s real signature and what was inferred', () => {
  const dir = join(drafts.root, 'mixed')
  const init = drafts.inits.mixed
  assert.equal(init.status, 0, init.stderr)
  assert.match(init.stdout, /^classifier {2}mixed-cls\.onnx\n {2}producer tf2onnx; IR 8; opsets ai\.onnx:17\n {2}input {3}"input_1:0" float32 \[1, 128, 800, 3\]; fixed batch 1/m)
  assert.match(init.stdout, /output {2}"logits" float32 \[N, 4, 256, 1600\]; made by Add/)
  assert.match(init.stdout, /unet-smp-256\.onnx: segmenter; NCHW 256×1600×3; dynamic batch; ends in Add → logit \(guessed\); 4 classes/)
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))
  assert.equal(manifest.classifier.input.height, 128) // the classifier's own size, apart from the segmenters'
  assert.match(manifest.segmenter.members[0].sha256, /^[0-9a-f]{64}$/)
})

test('models init keeps an existing manifest unless --force', () => {
  const dir = onnxOnly('keras')
  writeFileSync(join(dir, 'manifest.json'), '{"mine": true}\n')
  const run = runCli(['models', 'init', dir])
  assert.equal(run.status, 2)
  assert.match(run.stderr, /manifest\.json exists; it is kept \(run with --force/)
  assert.equal(readFileSync(join(dir, 'manifest.json'), 'utf8'), '{"mine": true}\n')
  assert.equal(runCli(['models', 'init', dir, '--force']).status, 0)
})

test('models <set> --show prints the signature table and how the manifest maps it', () => {
  const show = runCli(['models', 'fixture-softmax5', '--root', FIXTURES, '--show'])
  assert.equal(show.status, 0, show.stderr)
  assert.match(show.stdout, /segmenter {2}seg-softmax5-probs\.onnx\n.*\n {4}input {3}"image" float32 \[N, 3, 128, 800\]\n {4}output {2}"probs" float32 \[N, 5, 128, 800\]; made by Softmax \(axis 1\)\n {4}manifest input: NCHW 128×800×3 RGB float32; \(value·0\.00392157 − \[0,0,0\]\) \/ \[1,1,1\]\n {4}manifest output: probability; channels 0→background, 1→class 1, 2→class 2, 3→class 3, 4→class 4; 128×800; weight 0\.5/)
  assert.match(show.stdout, /seg-softmax5-logits\.onnx[\s\S]*manifest output: softmax; channels 0→background/)
  const byFolder = runCli(['models', join(FIXTURES, 'keras'), '--show'])
  assert.match(byFolder.stdout, /fixed batch 1 \(runs 1 image at a time\)/)
})

test('models --root <a set\'s own folder> lists that set', () => {
  const run = runCli(['models', '--root', join(FIXTURES, 'nchw'), '--json'])
  assert.equal(run.status, 0, run.stderr)
  assert.deepEqual(JSON.parse(run.stdout).map((s: { id: string; valid: boolean }) => [s.id, s.valid]), [['fixture-nchw', true]])
})

test('a key of the wrong type says what was expected and what was given', () => {
  const dir = join(tempDir(), 'typo')
  cpSync(join(FIXTURES, 'nchw'), dir, { recursive: true })
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))
  manifest.input.height = '128'
  manifest.segmenter.output = 'sigmoid'
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest))
  const run = runCli(['models', dir])
  assert.equal(run.status, 2)
  assert.match(run.stdout, /manifest\.json: input\.height: expected a number, got a string/)
  assert.match(run.stdout, /manifest\.json: segmenter\.output: expected "probability" or "logit" or "softmax", got "sigmoid"/)
})
