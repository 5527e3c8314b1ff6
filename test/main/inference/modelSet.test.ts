import assert from 'node:assert/strict'
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { loadModelSet, ModelSetError, ProviderError } from '../../../src-main/inference/index.ts'
import { cudaProviderLibrary } from '../../../src-main/inference/session.ts'
import { FIXTURES, tempDir } from '../../helpers/images.ts'

/** Copies a fixture set into a temp folder with its manifest changed by `edit`. */
function editedSet(name: string, edit: (manifest: any) => void): string {
  const dir = tempDir()
  const manifest = JSON.parse(readFileSync(join(FIXTURES, name, 'manifest.json'), 'utf8'))
  for (const stage of [manifest.classifier, manifest.segmenter]) for (const m of stage?.members ?? []) copyFileSync(join(FIXTURES, name, m.file), join(dir, m.file))
  edit(manifest)
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest))
  return dir
}

test('every fixture set loads and reports its provider', async () => {
  for (const name of ['nhwc', 'nchw', 'tta']) {
    const set = await loadModelSet(join(FIXTURES, name), { provider: 'cpu', threads: 1 })
    assert.equal(set.provider.provider, 'cpu')
    assert.equal(set.provider.fallbackReason, null)
    await set.release()
  }
})

test('a member whose input contradicts the manifest is refused by name, with both shapes and the layout it looks like', async () => {
  const dir = editedSet('nchw', (m) => (m.input.layout = 'NHWC'))
  await assert.rejects(loadModelSet(dir, { provider: 'cpu' }), (error: Error) => {
    assert.ok(error instanceof ModelSetError)
    assert.equal(
      error.message,
      `${join(dir, 'cls-logit-nchw.onnx')}: input "image" has shape [N, 3, 128, 800], the manifest expects [batch, 128, 800, 3] (NHWC); it looks NCHW (PyTorch): set "layout": "NCHW"`,
    )
    return true
  })
})

test('a segmenter with the wrong class count is refused naming its output', async () => {
  const dir = editedSet('tta', (m) => {
    m.classes.pop()
    for (const key of ['upper', 'lower', 'minArea']) m.segmenter.postprocess[key].pop()
  })
  await assert.rejects(loadModelSet(dir, { provider: 'cpu' }), /seg-ramp-nhwc\.onnx: output "probs" has shape \[N, 128, 800, 4\], the manifest expects \[batch, 128, 800, 3\]/)
})

test('a member whose bytes do not match its sha256 is refused', async () => {
  const dir = editedSet('tta', (m) => (m.segmenter.members[0].sha256 = '0'.repeat(64)))
  await assert.rejects(loadModelSet(dir, { provider: 'cpu' }), /seg-ramp-nhwc\.onnx: sha256 is [0-9a-f]{64}, the manifest says 0{64}/)
})

test('a missing manifest or member is a readable error', async () => {
  await assert.rejects(loadModelSet(tempDir(), { provider: 'cpu' }), /manifest\.json: cannot read the manifest \(ENOENT\)/)
  const dir = editedSet('tta', (m) => (m.segmenter.members[0].file = 'missing.onnx'))
  await assert.rejects(loadModelSet(dir, { provider: 'cpu' }), /missing\.onnx: cannot read the model \(ENOENT\)/)
})

test('auto falls back to the CPU and says why; cuda fails with the reason', { skip: cudaProviderLibrary() !== null && 'CUDA provider installed here' }, async () => {
  const set = await loadModelSet(join(FIXTURES, 'tta'), { provider: 'auto', threads: 1 })
  assert.equal(set.provider.provider, 'cpu')
  assert.match(set.provider.fallbackReason ?? '', /CUDA provider is not installed; install it with `ONNXRUNTIME_NODE_INSTALL=cuda12/)
  await set.release()
  await assert.rejects(loadModelSet(join(FIXTURES, 'tta'), { provider: 'cuda' }), (error: Error) => error instanceof ProviderError && /^--provider cuda: /.test(error.message))
})
