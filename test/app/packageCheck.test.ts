// The packaging check on the Linux package, as CI runs it (the Windows and macOS folders are
// checked by `npm run check:package` in CI): electron-builder --dir around a stand-in Electron,
// the package's contents checked, and its main started and run through a job.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, renameSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { executableProblems } from '../../scripts/package/executableChecks.ts'
import { packageProblems, type PackageFacts } from '../../scripts/package/packageContents.ts'
import { writeStandInElectron } from '../../scripts/package/standInElectron.ts'
import { writeStandInExe } from '../../scripts/package/standInExe.ts'
import { runCli } from '../helpers/cli.ts'

const CHECK = fileURLToPath(new URL('../../scripts/package/packageCheck.ts', import.meta.url))

test('the Linux package holds its own binaries, the models and no sources, and its main runs a job', () => {
  const work = mkdtempSync(join(tmpdir(), 'coilscope-pack-'))
  assert.equal(runCli(['synth', join(work, 'coils'), '--count', '3', '--seed', '3']).status, 0)
  const run = spawnSync(process.execPath, [CHECK, '--platforms', 'linux', '--smoke', join(work, 'coils')], { encoding: 'utf8', timeout: 300_000 })
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`)
  assert.match(run.stdout, /onnxruntime-node: libonnxruntime\.so\.1, onnxruntime_binding\.node/)
  assert.match(run.stdout, /@parcel\/watcher: watcher\.node\n/) // the folder watcher's glibc build only
  assert.match(run.stdout, /packaged app: page 200, job done \(3 images\), coil image 200, onnxruntime in main: 0/)
  assert.match(run.stdout, /package check passed/)
})

test('the check names what is wrong: foreign binaries, sources, devDependencies, a missing binary, fuses, models', () => {
  const facts: PackageFacts = {
    platform: 'win',
    resources: '/nowhere',
    appFiles: ['out/main/main.js', 'src-main/main.ts', 'node_modules/electron/index.js'],
    binaries: new Map([['node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node', 'linux-x64']]),
    modelFiles: ['training/train.py'],
    fuses: new Map([['RunAsNode', true]]),
    sizeMB: { electron: 0, app: 500, models: 0 },
  }
  const problems = packageProblems(facts, ['electron'], () => true).join('\n')
  for (const expected of [/beyond out\/.*src-main\/main\.ts/, /sources: src-main\/main\.ts/, /devDependencies: electron/, /not for win32-x64: .*linux\/x64/, /no sharp binary for win32-x64/, /no models\/default/, /models\/training ships/, /fuse RunAsNode is true/, /over the 120 MB budget/]) {
    assert.match(problems, expected)
  }
})

test('an executable electron-builder did not edit is named: no asar integrity, icon or product name', () => {
  const work = mkdtempSync(join(tmpdir(), 'coilscope-exe-'))
  writeStandInExe(join(work, 'Coilscope.exe'), '45.4.1')
  assert.deepEqual(executableProblems(work, 'win'), [
    `${join(work, 'Coilscope.exe')}: no asar integrity resource`,
    `${join(work, 'Coilscope.exe')}: no icon`,
    `${join(work, 'Coilscope.exe')}: product name is Electron`,
  ])
  const mac = writeStandInElectron(join(work, 'mac'), 'mac', '45.4.1')
  renameSync(join(mac, 'Electron.app'), join(mac, 'Coilscope.app'))
  assert.deepEqual(executableProblems(mac, 'mac'), ['Info.plist: no asar integrity for Resources/app.asar', 'Info.plist: CFBundleName is Electron', 'Info.plist: icon electron.icns is not an icns in Resources'])
})
