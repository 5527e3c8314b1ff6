// Runs desktopDriver.ts in a child process (a main bundle starts once per process) and reads its report.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { RENDERER_CSP_HEADER } from '../../src-main/app/contentSecurity.ts'

const DRIVER = fileURLToPath(new URL('./desktopDriver.ts', import.meta.url))

interface Fetched {
  url: string
  status: number
  contentType: string | null
  csp: string | null
  bytes: number
  text: string | null
}

export interface DesktopReport {
  document: Fetched | null
  assets: Fetched[]
  error?: string
  appInfo?: { host: string; defaultModelsRoot: string }
  modelSets?: { dir: string; isValid: boolean; problems: string[] }[]
  job?: { state: string; progress: { done: number; errors: number }; providerUsed: string | null; message: string | null }
  forks?: string[]
  imageEvents?: number
  images?: { id: number; status: string; predictionId: number | null }[]
  coilImage?: Fetched
  coilThumb?: Fetched
  coilMissing?: Fetched
  mainLoadedOnnxruntime: string[]
  /** Native libraries main loaded from a node_modules folder (better-sqlite3, sharp). */
  mainNativeModules: string[]
}

export function runDesktop(options: { mainJs: string; images: string; configHome: string; resourcesDir?: string; cwd?: string }): DesktopReport {
  const args = [DRIVER, options.mainJs, options.images, ...(options.resourcesDir ? ['--packaged', options.resourcesDir] : [])]
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: options.cwd, env: { ...process.env, XDG_CONFIG_HOME: options.configHome }, timeout: 180_000 })
  const line = run.stdout.split('\n').find((l) => l.startsWith('{'))
  if (run.status !== 0 || !line) throw new Error(`the desktop driver exited ${run.status}:\n${run.stderr}\n${run.stdout}`)
  return JSON.parse(line) as DesktopReport
}

/** What every run of the desktop app must show, wherever its main and models come from. */
export function assertDesktopWorks(report: DesktopReport, modelsRoot: string): void {
  assert.equal(report.error, undefined, `the app failed: ${report.error}`)
  const page = report.document!
  assert.deepEqual([page.url, page.status, page.contentType, page.csp], ['app://renderer/index.html', 200, 'text/html; charset=utf-8', RENDERER_CSP_HEADER], 'index.html served with the CSP header')
  assert.match(page.text!, /<!doctype html>/i)
  const kinds = report.assets.map((asset) => asset.contentType!.split(';')[0]).sort()
  assert.deepEqual(kinds, ['image/svg+xml', 'text/css', 'text/javascript'], 'the page’s icon, style sheet and script')
  for (const asset of report.assets) {
    assert.equal(asset.status, 200, asset.url)
    assert.equal(asset.csp, RENDERER_CSP_HEADER, asset.url)
    assert.ok(asset.bytes > (asset.contentType!.startsWith('image/') ? 100 : 10_000), `${asset.url}: ${asset.bytes} bytes`)
  }
  assert.equal(report.appInfo!.host, 'electron')
  assert.equal(report.appInfo!.defaultModelsRoot, modelsRoot)
  // The default set, and beside it any other shipped set (the int8 variant), all valid.
  const sets = report.modelSets!.map((set) => [set.dir, set.isValid])
  assert.deepEqual(sets[0], [join(modelsRoot, 'default'), true])
  assert.ok(sets.every(([, valid]) => valid), JSON.stringify(sets))
  assert.equal(report.job!.state, 'done', report.job!.message ?? '')
  assert.deepEqual([report.job!.progress.done, report.job!.progress.errors, report.job!.providerUsed], [3, 0, 'cpu'])
  assert.ok(report.forks!.length >= 1 && report.forks!.every((path) => path.endsWith(join('out', 'main', 'inferenceWorker.js'))), `${report.forks}`)
  assert.equal(report.imageEvents, 3, 'each finished image reached the window')
  assert.ok(report.images!.every((image) => image.status === 'done' && image.predictionId !== null))
  assert.deepEqual([report.coilImage!.status, report.coilImage!.contentType], [200, 'image/jpeg'])
  assert.ok(report.coilImage!.bytes > 10_000)
  assert.deepEqual([report.coilThumb!.status, report.coilThumb!.contentType], [200, 'image/jpeg'])
  assert.equal(report.coilMissing!.status, 404)
  assert.deepEqual(report.mainLoadedOnnxruntime, [], 'onnxruntime loads in the inference process only')
  assert.ok(report.mainNativeModules.some((path) => /better_sqlite3|better-sqlite3/.test(path)), `main loaded better-sqlite3: ${report.mainNativeModules}`)
}
