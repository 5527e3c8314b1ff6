// The desktop app end to end without Electron: the BUILT out/main/main.js starts under Node with
// the stand-in `electron` (protocol handlers called with real app:// and coil:// URLs, loadURL
// going through them, IPC from the page's frame, a real inference child process), once as in
// `npm start` (models from the repository) and once as a packaged app (models from resourcesPath).
import assert from 'node:assert/strict'
import { cpSync, existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { before, test } from 'node:test'
import { runCli } from '../helpers/cli.ts'
import { assertDesktopWorks, runDesktop } from './desktopRun.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const BUILT_MAIN = join(ROOT, 'out/main/main.js')
let work: string
let images: string

before(() => {
  assert.ok(existsSync(BUILT_MAIN), `${BUILT_MAIN} is missing: run npm run build first`)
  work = mkdtempSync(join(tmpdir(), 'coilscope-desktop-'))
  images = join(work, 'coils')
  const synth = runCli(['synth', images, '--count', '3', '--seed', '11'])
  assert.equal(synth.status, 0, synth.stderr)
})

test('the built app as `npm start` runs it: the page, the API, a job in the inference process, coil images', () => {
  const report = runDesktop({ mainJs: BUILT_MAIN, images, configHome: join(work, 'dev') })
  assertDesktopWorks(report, join(ROOT, 'models'))
})

test('the built app as a packaged app: model sets come from the resources folder', () => {
  const resources = join(work, 'resources')
  cpSync(join(ROOT, 'models/default'), join(resources, 'models/default'), { recursive: true })
  const report = runDesktop({ mainJs: BUILT_MAIN, images, configHome: join(work, 'packaged'), resourcesDir: resources })
  assertDesktopWorks(report, join(resources, 'models'))
})
