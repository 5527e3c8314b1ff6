// Coil settings and the rule set edited in the Library, in Debian's Chromium against `coilscope
// serve`: a source with a sub-folder per coil (inspected once by the CLI) shows its two coils;
// a bad pattern is refused with the reason; a pattern that leaves a file out regroups the source
// and names that file; the geometry changes the coil's length; a rule set edited into a new version
// is refused while invalid, then stored beside the old one, made active, and changes the proposal;
// the coil panel's report button prints the coil report, which the browser downloads.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { openStore } from '../../src-main/store/index.ts'
import { FIXTURES, tempDir, writeBlockImages } from '../helpers/images.ts'
import { artifactPath, browserUnavailable, coilscope, servePage, sharedBrowser } from './harness.ts'

const skip = browserUnavailable()
const browser = sharedBrowser(skip)

test('the coil settings regroup a source and the rule set editor stores a new version', { skip: skip ?? false, timeout: 180_000 }, async () => {
  const work = tempDir('coilscope-e2e-coil-settings-')
  const folder = join(work, 'line-3')
  mkdirSync(join(folder, 'A'), { recursive: true })
  mkdirSync(join(folder, 'B'))
  // Image i holds a block of class (i mod 4) + 1: A has classes 1 and 2, B classes 3 and 4.
  await writeBlockImages(join(folder, 'A'), 2, 0)
  await writeBlockImages(join(folder, 'B'), 2, 2)
  const db = join(work, 'library.db')
  await coilscope(['inspect', folder, '--db', db, '--models', join(FIXTURES, 'nchw'), '--provider', 'cpu', '--out', join(work, 'out.csv')])
  const rules = join(work, 'rules.json')
  writeFileSync(rules, JSON.stringify({ name: 'plant', version: 1, edgeBandMm: 20, rules: [{ id: 'class 4', kind: 'defectArea', classes: [4], atLeastMm2: 1000, outcome: 'downgrade', reason: 'class 4 found' }] }))
  await coilscope(['coils', '--db', db, '--rules', rules])

  const { server, page } = await servePage(browser(), ['--db', db, '--models-root', FIXTURES], { width: 1600, height: 1200 })
  try {
    // The default for a source with sub-folders: one coil per sub-folder.
    const coilSelect = page.getByRole('combobox', { name: 'Coil' })
    await coilSelect.waitFor({ timeout: 60_000 })
    assert.deepEqual(await coilSelect.locator('option').allTextContents(), ['A · 3.2 m · accept', 'B · 3.2 m · downgrade'])
    await page.getByText('Coil settings · 2 coils').click()
    await page.screenshot({ path: artifactPath('coil-settings-01-subfolders.png') })

    // A pattern without the seq group is refused, with the reason; nothing changes.
    await page.getByRole('combobox', { name: 'Grouping' }).selectOption('pattern')
    await page.getByRole('textbox', { name: 'Pattern' }).fill('^(?<coil>coil)-\\d+\\.jpg$')
    await page.getByRole('button', { name: 'Save and regroup' }).click()
    await page.getByRole('alert').filter({ hasText: 'the pattern has no named group (?<seq>…)' }).waitFor()

    // One coil from the file names; coil-0003 does not match and is named. 2 mm per pixel along.
    await page.getByRole('textbox', { name: 'Pattern' }).fill('^(?<coil>coil)-(?<seq>000[012])\\.jpg$')
    await page.getByRole('spinbutton', { name: 'Millimetres per pixel on x' }).fill('2')
    await page.getByRole('button', { name: 'Save and regroup' }).click()
    const problems = page.getByRole('list', { name: 'Files not placed on a coil' })
    await problems.getByText('B/coil-0003.jpg').waitFor()
    assert.match(await problems.innerText(), /B\/coil-0003\.jpg: file name does not match the pattern/)
    await page.locator('canvas[aria-label="Coil map of coil: 3 defects over 9.6 m"]').waitFor()
    assert.deepEqual(await coilSelect.locator('option').allTextContents(), ['coil · 9.6 m · accept'])
    await page.screenshot({ path: artifactPath('coil-settings-02-pattern.png') })

    // The rule set: the editor offers version 2; an unknown outcome is refused by the schema.
    await page.getByText('Rule set · plant v1').click()
    const editor = page.getByRole('textbox', { name: 'Rule set JSON' })
    const offered = JSON.parse(await editor.inputValue()) as { version: number; rules: object[] }
    assert.equal(offered.version, 2)
    const bad = { ...offered, rules: [{ id: 'pits', kind: 'defectArea', classes: [1], atLeastMm2: 1000, outcome: 'scrap', reason: 'pits' }] }
    await editor.fill(JSON.stringify(bad, null, 2))
    await page.getByRole('button', { name: 'Save as a new version' }).click()
    await page.getByRole('alert').filter({ hasText: /not a valid rule set: rules\.0\.outcome/ }).waitFor()
    await editor.fill(JSON.stringify({ ...bad, rules: [{ ...bad.rules[0], outcome: 'reject' }] }, null, 2))
    await page.getByRole('button', { name: 'Save as a new version' }).click()
    await page.getByRole('status').filter({ hasText: 'Saved plant v2' }).waitFor()
    await page.getByTestId('coil-proposal').filter({ hasText: 'Proposed: reject' }).waitFor()
    assert.equal(await page.getByTestId('rule-set-versions').innerText(), 'Stored: plant v1, plant v2 (active)')
    await page.screenshot({ path: artifactPath('coil-settings-03-rule-set-v2.png'), fullPage: true })

    // The coil's report from the coil panel: printed by the host, downloaded by the browser().
    assert.equal(await page.getByRole('textbox', { name: 'Coil report file name (.pdf or .html)' }).inputValue(), 'coil-coil-report.pdf')
    const downloading = page.waitForEvent('download', { timeout: 90_000 })
    await page.getByRole('button', { name: 'Write coil report' }).click()
    const download = await downloading
    const pdf = join(work, 'downloaded-coil-report.pdf')
    await download.saveAs(pdf)
    assert.equal(readFileSync(pdf).subarray(0, 5).toString('latin1'), '%PDF-')
    const text = spawnSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).stdout
    assert.match(text, /Coil report: coil/)
    assert.match(text, /reject pits: pits/)
    await page.getByTestId('coil-report-status').filter({ hasText: /Wrote the PDF coil report/ }).waitFor()
  } finally {
    await page.close()
    await server.stop()
  }
  const store = openStore(db)
  try {
    assert.deepEqual(store.disposition.listRuleSets().map((r) => [r.name, r.version]), [['plant', 1], ['plant', 2]], 'version 1 kept unchanged beside version 2')
    const source = store.sources.list()[0]
    assert.deepEqual(store.coils.settings(source.id), {
      grouping: { kind: 'pattern', pattern: '^(?<coil>coil)-(?<seq>000[012])\\.jpg$' },
      geometry: { alongAxis: 'x', mmPerPixelX: 2, mmPerPixelY: 1 },
    })
  } finally {
    store.close()
  }
})
