// `coilscope models init` on a terminal: real keystrokes into the real CLI on a pseudo-terminal
// confirm or correct each guess, and the manifest written says what the user answered, with
// nothing left unconfirmed. On a terminal with --yes, or under CI, it asks nothing.
import assert from 'node:assert/strict'
import { cpSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { FIXTURES, tempDir } from '../../helpers/images.ts'
import { KEYS, PtyCli } from '../../helpers/ptyCli.ts'

const { enter, up, backspace } = KEYS

function onnxOnly(name: string): string {
  const dir = join(tempDir(), name)
  mkdirSync(dir)
  for (const file of readdirSync(join(FIXTURES, name)).filter((f) => f.endsWith('.onnx'))) cpSync(join(FIXTURES, name, file), join(dir, file))
  return dir
}

test('on a terminal, models init asks about each guess and writes the answers', async () => {
  const dir = onnxOnly('perclass')
  const cli = new PtyCli(['models', 'init', dir])
  try {
    await cli.expect(/Inferred:/)
    for (const file of ['cls-perclass.onnx', 'seg-band-perclass.onnx']) {
      await cli.answer(new RegExp(`${file}: its input is normalised as`), enter) // 0..1, as guessed
      await cli.answer(new RegExp(`${file}: its colour channels are in`), enter) // RGB
      // Made by ReduceMax / Mul: the draft guesses logit; these give probabilities.
      await cli.answer(new RegExp(`${file}: its output \\(made by \\w+\\) holds`), up + enter)
      await cli.answer(new RegExp(`${file}: which of its 4 output channels is background`), enter) // none
    }
    await cli.answer(/seg-band-perclass\.onnx: the class id of each of its 4 class channels/, enter)
    await cli.answer(/Names of classes 1\.\.4/, `pits, cracks, scratches, scale${enter}`)
    await cli.answer(/The classifier gates:/, enter) // perClass, read from the [N, 4] output
    // A wrong count is refused by the prompt, then corrected.
    await cli.answer(/Gate thresholds/, `0.95, 0.5${enter}`)
    await cli.expect(/give 1 or 4 numbers/)
    cli.type(`${backspace.repeat(9)}0.95, 0.5, 0.5, 0.5${enter}`)
    await cli.answer(/Segmenter threshold "upper"/, `0.7${enter}`)
    await cli.answer(/Segmenter threshold "lower"/, `0.4, 0.5, 0.4, 0.5${enter}`)
    await cli.answer(/Minimum area in pixels per class/, `180, 260, 200, 500${enter}`)
    await cli.answer(/Source image size/, enter)
    await cli.answer(/What were these models trained on\?/, `bands drawn by make_formulations.py${enter}`)
    await cli.answer(/Were those training images synthetic\?/, `y${enter}`)
    await cli.expect(/Every guess confirmed\./)
    assert.equal(await cli.exited, 0, cli.text)
  } finally {
    cli.kill()
  }
  assert.match(cli.text, /^perclass 0\.1\.0  valid  /m)
  const written = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))
  const fixture = JSON.parse(readFileSync(join(FIXTURES, 'perclass', 'manifest.json'), 'utf8'))
  assert.equal(written.unconfirmed, undefined)
  assert.deepEqual(written.provenance, { trainedOn: 'bands drawn by make_formulations.py', synthetic: true })
  assert.deepEqual(written.classes.map((c: { name: string }) => c.name), fixture.classes.map((c: { name: string }) => c.name))
  assert.deepEqual({ ...written.input, channelOrder: undefined }, { ...fixture.input, channelOrder: undefined })
  assert.equal(written.input.channelOrder, 'RGB')
  for (const key of ['output', 'gate', 'threshold'] as const) assert.deepEqual(written.classifier[key], fixture.classifier[key], key)
  assert.deepEqual(written.segmenter.output, fixture.segmenter.output)
  assert.deepEqual(written.segmenter.postprocess, fixture.segmenter.postprocess)
})

for (const [how, args, env] of [['--yes', ['--yes'], {}], ['CI', [], { CI: 'true' }]] as const) {
  test(`on a terminal with ${how}, models init asks nothing and marks its guesses`, async () => {
    const dir = onnxOnly('keras')
    const cli = new PtyCli(['models', 'init', dir, ...args], env)
    assert.equal(await cli.exited, 0, cli.text)
    assert.doesNotMatch(cli.text, /\?/)
    assert.match(cli.text, /Unconfirmed \(guessed; check each, then remove it from "unconfirmed"\): input\.scale/)
    assert.ok(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).unconfirmed.includes('provenance'))
  })
}
