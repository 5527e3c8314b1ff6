// Times one folder run through the UI (Chromium → coilscope serve → the queue) and through the CLI
// (coilscope inspect --db), each on a fresh database, alternating. Not part of npm test:
//   node test/e2e/timeUiVsCli.ts [--count 200] [--models <set dir>] [--repeats 2] [--threads N]
// UI time: from the Run click to the job card saying done. CLI time: the process's wall time, and
// the inspect time it reports (models loaded to last result).
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { tempDir } from '../helpers/images.ts'
import { coilscope, launchBrowser, modelSetForTests, serve } from './harness.ts'

const { values } = parseArgs({
  options: { count: { type: 'string', default: '200' }, models: { type: 'string' }, repeats: { type: 'string', default: '2' }, seed: { type: 'string', default: '1' } },
})
const modelsDir = values.models ?? modelSetForTests().dir
const work = tempDir('coilscope-timing-')
const folder = join(work, 'coils')
await coilscope(['synth', folder, '--count', values.count!, '--seed', values.seed!])

async function timeCli(db: string): Promise<{ wallS: number; inspectS: number }> {
  const started = performance.now()
  const output = await coilscope(['inspect', folder, '--models', modelsDir, '--provider', 'cpu', '--db', db, '--out', join(work, 'cli.csv'), '--json'])
  const wallS = (performance.now() - started) / 1000
  const summary = JSON.parse(output.slice(output.indexOf('{'), output.lastIndexOf('}') + 1))
  return { wallS, inspectS: summary.inspectSeconds ?? summary.seconds }
}

async function timeUi(db: string): Promise<{ runS: number; shownRate: string }> {
  const server = await serve(['--db', db, '--models-root', dirname(modelsDir)])
  const browser = await launchBrowser()
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await page.goto(server.url)
    await page.getByRole('button', { name: 'Open folder…' }).first().click()
    await page.getByLabel('Folder path on this machine').fill(folder)
    await page.getByRole('button', { name: 'Open', exact: true }).click()
    await page.getByRole('option', { name: /coils/ }).waitFor()
    await page.getByRole('combobox', { name: 'Model set' }).selectOption(modelsDir, { timeout: 120_000 })
    await page.locator('label', { hasText: 'CPU' }).click()
    const run = page.getByRole('button', { name: /^Run on coils/ })
    await run.waitFor()
    const started = performance.now()
    await run.click()
    await page.locator('article[data-state="done"]').waitFor({ timeout: 3_600_000 })
    const runS = (performance.now() - started) / 1000
    const shownRate = await page.locator('article[data-state="done"] .stats span').nth(2).innerText()
    return { runS, shownRate }
  } finally {
    await browser.close()
    await server.stop()
  }
}

const count = Number(values.count)
for (let k = 0; k < Number(values.repeats); k++) {
  const dir = join(work, `round-${k}`)
  mkdirSync(dir)
  const cli = await timeCli(join(dir, 'cli.db'))
  const ui = await timeUi(join(dir, 'ui.db'))
  process.stdout.write(
    `round ${k + 1}: ${count} images with ${modelsDir}\n` +
      `  CLI  wall ${cli.wallS.toFixed(1)} s (${(count / cli.wallS).toFixed(1)} images/s), inspect ${cli.inspectS.toFixed(1)} s\n` +
      `  UI   Run → done ${ui.runS.toFixed(1)} s (${(count / ui.runS).toFixed(1)} images/s; the job card said ${ui.shownRate})\n`,
  )
}
