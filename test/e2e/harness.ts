// What the end-to-end tests share: Debian's Chromium through playwright-core, `coilscope serve` as a
// child process, the model set to run, and where screenshots go (artifacts/, kept out of git).
import { spawn, type ChildProcess } from 'node:child_process'
import { cpSync, existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { after, before } from 'node:test'
import { chromium, type Browser, type Page } from 'playwright-core'
import { writeCompareSource, writeWeakenedSet } from '../helpers/compareFixture.ts'
import { FIXTURES, tempDir } from '../helpers/images.ts'

export const ROOT = new URL('../../', import.meta.url).pathname
export const ARTIFACTS = join(ROOT, 'artifacts', 'e2e')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const BIN = join(ROOT, 'bin', 'coilscope.js')
/**
 * The renderer built with its test hooks (vite.e2e.config.ts): what these tests read the review
 * state through. COILSCOPE_E2E_RENDERER_DIR serves another such build (a benchmark's before/after).
 */
const RENDERER_E2E = process.env.COILSCOPE_E2E_RENDERER_DIR ?? join(ROOT, 'out', 'renderer-e2e')

/** models/default once it is trained and committed; until then the closed-form fixture set. */
export function modelSetForTests(): { root: string; dir: string } {
  const trained = join(ROOT, 'models', 'default')
  if (existsSync(join(trained, 'manifest.json'))) return { root: join(ROOT, 'models'), dir: trained }
  return { root: join(ROOT, 'test', 'fixtures', 'models'), dir: join(ROOT, 'test', 'fixtures', 'models', 'nchw') }
}

/**
 * Why the browser tests cannot run here, or null when they can. Under CI a missing browser is a
 * failure, not a skip (.ci/run installs it).
 */
export function browserUnavailable(): string | null {
  const problems = [
    existsSync(CHROMIUM) ? null : `no Chromium at ${CHROMIUM} (apt-get install chromium)`,
    existsSync(join(RENDERER_E2E, 'index.html')) ? null : 'the renderer is not built with its test hooks (npm run build)',
  ].filter(Boolean)
  if (problems.length === 0) return null
  if (process.env.CI === 'true') throw new Error(`end-to-end tests cannot run under CI: ${problems.join('; ')}`)
  return problems.join('; ')
}

/** One Chromium for a file's tests: launched before them (unless `skip` says why not), closed after. */
export function sharedBrowser(skip: string | null): () => Browser {
  let browser: Browser | undefined
  before(async () => {
    if (!skip) browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
  })
  return () => browser!
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true })
  return join(ARTIFACTS, name)
}

export interface Served {
  readonly url: string
  readonly origin: string
  stop(): Promise<void>
}

/** Starts `coilscope serve` on a free port, serving the renderer with its test hooks, and waits for its URL. */
export async function serve(args: readonly string[]): Promise<Served> {
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--renderer-dir', RENDERER_E2E, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr!.on('data', (d) => (stderr += d))
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = ''
    child.stdout!.on('data', (d) => {
      stdout += d
      const match = /http:\/\/\S+token=\S+/.exec(stdout)
      if (match) resolve(match[0])
    })
    child.once('exit', (code) => reject(new Error(`coilscope serve exited with ${code}: ${stderr}`)))
  })
  return {
    url,
    origin: new URL(url).origin,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

/** Runs the real `coilscope` command to the end; rejects on a non-zero exit. */
export function coilscope(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`coilscope ${args.join(' ')} exited with ${code}:\n${output}`))))
  })
}

/** A source in the Library's Sources list (the coil picker's options may carry the same name). */
export function sourceOption(page: Page, name: RegExp) {
  return page.getByRole('listbox', { name: 'Sources' }).getByRole('option', { name })
}

/**
 * Opens `folder` through the Library's Open folder dialog, waits for it in the list (`listed`) and
 * for the model set to validate, then picks `modelsDir` on the CPU — ready for Run or Watch.
 */
export async function openFolderWithModels(page: Page, folder: string, listed: RegExp, modelsDir: string): Promise<void> {
  await page.getByRole('button', { name: 'Open folder…' }).first().click()
  await page.getByLabel('Folder path on this machine').fill(folder)
  await page.getByRole('button', { name: 'Open', exact: true }).click()
  await sourceOption(page, listed).waitFor()
  await page.getByText('Valid — manifest, hashes and ONNX signatures checked').waitFor({ timeout: 60_000 })
  await page.getByRole('combobox', { name: 'Model set' }).selectOption(modelsDir)
  await page.locator('label', { hasText: 'CPU' }).click()
}

/** Starts `coilscope serve` with `args` and opens its page in a new tab of `viewport` size. */
export async function servePage(browser: Browser, args: readonly string[], viewport: { width: number; height: number }): Promise<{ server: Served; page: Page }> {
  const server = await serve(args)
  const page = await browser.newPage({ viewport })
  try {
    await page.goto(server.url)
  } catch (error) {
    await page.close()
    await server.stop()
    throw error
  }
  return { server, page }
}

/** Names the reviewer (as the first visit to Review would ask) and reloads, so Review opens straight away. */
export async function nameReviewer(page: Page, name: string): Promise<void> {
  await page.evaluate((author) => (globalThis as unknown as { coilscope: { setSettings(p: object): Promise<unknown> } }).coilscope.setSettings({ authorName: author }), name)
  await page.reload()
}

export interface InspectedLibrary {
  readonly work: string
  /** The folder of synthetic coils. */
  readonly folder: string
  readonly dbPath: string
  readonly models: { readonly root: string; readonly dir: string }
}

/**
 * A folder of synthetic coils (`coilscope synth`) inspected into a new library by the real CLI with
 * the test model set, in a new temporary folder named after `prefix`; `prepare` may add files
 * (block images) before the run.
 */
export async function inspectedLibrary(
  prefix: string,
  synth: { readonly folder: string; readonly count: number; readonly seed: number; readonly defectRate: number },
  prepare: (folder: string) => Promise<unknown> = async () => undefined,
): Promise<InspectedLibrary> {
  const work = tempDir(`coilscope-e2e-${prefix}-`)
  const folder = join(work, synth.folder)
  await coilscope(['synth', folder, '--count', String(synth.count), '--seed', String(synth.seed), '--defect-rate', String(synth.defectRate)])
  await prepare(folder)
  const dbPath = join(work, `${prefix}.db`)
  const models = modelSetForTests()
  await coilscope(['inspect', folder, '--db', dbPath, '--models', models.dir, '--out', join(work, 'model.csv'), '--provider', 'cpu'])
  return { work, folder, dbPath, models }
}

/** A new page (its own context) on `server` with the reviewer named, so Review opens straight away. */
export async function reviewerPage(browser: Browser, server: Served, name: string, viewport = { width: 1366, height: 768 }): Promise<Page> {
  const page = await browser.newPage({ viewport })
  await page.goto(server.url)
  await nameReviewer(page, name)
  return page
}

/** Clicks the Review tab and waits until its first image is in the review state. */
export async function showReview(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Review' }).click()
  await page.getByTestId('strip-viewer').waitFor()
  await page.waitForFunction(() => (globalThis as unknown as { coilscopeReview?: { view: unknown } }).coilscopeReview?.view)
}

/**
 * The comparison's source (compareFixture.ts) inspected by the fixture set as run 1; the weakened
 * set beside it in the models root, to run as B.
 */
export async function compareLibrary(prefix: string): Promise<{ work: string; folder: string; models: string; weakened: string; db: string }> {
  const work = tempDir(`coilscope-e2e-${prefix}-`)
  const folder = join(work, 'line')
  mkdirSync(folder)
  await writeCompareSource(folder)
  const models = join(work, 'models')
  cpSync(join(FIXTURES, 'nhwc'), join(models, 'nhwc'), { recursive: true })
  const weakened = writeWeakenedSet(join(models, 'weakened'))
  const db = join(work, 'library.db')
  await coilscope(['inspect', folder, '--db', db, '--models', join(models, 'nhwc'), '--provider', 'cpu', '--out', join(work, 'a.csv')])
  return { work, folder, models, weakened, db }
}
