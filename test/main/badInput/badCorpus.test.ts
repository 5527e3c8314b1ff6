// The bad-input corpus through the real `coilscope inspect`: every file is either processed
// correctly or a per-image error naming the file and the reason; the job finishes; the good
// images come out exactly as they do without the bad ones beside them.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { before, test } from 'node:test'
import { encodeRle } from '../../../src-shared/rle.ts'
import { parseSeverstalCsv } from '../../../src-shared/severstalCsv.ts'
import { decodeImage, MAX_INPUT_PIXELS } from '../../../src-main/pipeline/index.ts'
import { BLOCK, makeBadCorpus, pngClaiming, type Expectation, type Outcome } from '../../fixtures/bad/make_bad_corpus.ts'
import { blockMask, FIXTURES, IMAGE_H, IMAGE_W, tempDir } from '../../helpers/images.ts'

const BIN = fileURLToPath(new URL('../../../bin/coilscope.js', import.meta.url))
const NCHW = join(FIXTURES, 'nchw')
/** A pipeline that hangs on a bad file fails the test instead of hanging CI. */
const CLI_TIMEOUT_MS = 60_000
const DROP_DAC = ['--bounding-set', '-dac_override,-dac_read_search']

const corpus = tempDir('coilscope-bad-')
const control = tempDir('coilscope-bad-control-')
const out = tempDir('coilscope-bad-out-')
let expectations: Expectation[] = []
let generateMs = 0
/** How the unreadable file can be made unreadable to the CLI here, and so what to expect of it. */
let permissions: { mode: 'plain' | 'setpriv' | 'bypassed'; note: string }

interface Run {
  status: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** The real CLI, under setpriv without the permission-bypassing capabilities when we are root. */
function runCli(args: readonly string[], dropDac = false): Run {
  const [command, argv] = dropDac ? ['setpriv', [...DROP_DAC, process.execPath, BIN, ...args]] : [process.execPath, [BIN, ...args]]
  const r = spawnSync(command, argv, { encoding: 'utf8', timeout: CLI_TIMEOUT_MS, env: { ...process.env, COILSCOPE_DEBUG: '' } })
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr }
}

function canRead(file: string, dropDac: boolean): boolean {
  const script = `require('node:fs').readFileSync(${JSON.stringify(file)})`
  const r = dropDac ? spawnSync('setpriv', [...DROP_DAC, process.execPath, '-e', script]) : spawnSync(process.execPath, ['-e', script])
  return r.status === 0
}

function outcomeOf(e: Expectation): Outcome {
  return e.ifPermissionsBypassed && permissions.mode === 'bypassed' ? e.ifPermissionsBypassed : e.outcome
}

const isProcessed = (e: Expectation) => outcomeOf(e) === 'processed' || outcomeOf(e) === 'processed-with-warning'

before(async () => {
  const started = performance.now()
  expectations = await makeBadCorpus(corpus)
  generateMs = performance.now() - started

  // chmod 000 stops nobody running as root (CAP_DAC_OVERRIDE). As root, the CLI runs under setpriv
  // with those capabilities dropped from its bounding set, so the file really is unreadable to it;
  // where that is not possible the file is readable and must then simply be processed.
  const unreadable = join(corpus, expectations.find((e) => e.ifPermissionsBypassed)!.file)
  if (!canRead(unreadable, false)) permissions = { mode: 'plain', note: 'mode 000 is unreadable to this user' }
  else if (!canRead(unreadable, true)) permissions = { mode: 'setpriv', note: 'running as root: the CLI runs under setpriv without CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH' }
  else permissions = { mode: 'bypassed', note: 'running as root with no way to drop CAP_DAC_OVERRIDE: the mode-000 file is readable and must be processed' }

  // The control folder: the same bytes under the same names, only the files that should be processed.
  for (const e of expectations) if (isProcessed(e)) writeFileSync(join(control, e.file), readFileSync(join(corpus, e.file)))
})

test('the corpus holds every kind of bad input', (t) => {
  t.diagnostic(`generated ${expectations.length} files in ${generateMs.toFixed(0)} ms; ${permissions.note}`)
  const count = (o: Outcome) => expectations.filter((e) => e.outcome === o).length
  assert.deepEqual([count('processed'), count('processed-with-warning'), count('error'), count('skipped')], [9, 1, 8, 1])
  assert.ok(expectations.some((e) => /[^\x00-\x7f]/.test(e.file) && e.file.includes(' ')))
})

test('inspect over the corpus: each file as expected, good images identical to a run without the bad ones, exit 3', (t) => {
  t.diagnostic(permissions.note)
  const dropDac = permissions.mode === 'setpriv'
  const csv = join(out, 'corpus.csv')
  const run = runCli(['inspect', corpus, '--models', NCHW, '--out', csv, '--provider', 'cpu', '--json'], dropDac)
  assert.equal(run.signal, null, `the CLI was killed (${run.signal}): it hung or crashed\n${run.stderr}`)
  assert.equal(run.status, 3, run.stderr)
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace')
  const summary = JSON.parse(run.stdout) as {
    succeeded: number
    images: number
    errors: { file: string; error: string }[]
    warnings: { file: string; warning: string }[]
    skipped: { file: string; reason: string }[]
  }

  // Every file is accounted for exactly once, with the expected reason.
  const by = (o: Outcome) => expectations.filter((e) => outcomeOf(e) === o)
  const errors = new Map(summary.errors.map((x) => [x.file, x.error]))
  assert.equal(errors.size, summary.errors.length, 'one error per file')
  assert.deepEqual([...errors.keys()].sort(), by('error').map((e) => join(corpus, e.file)).sort())
  for (const e of by('error')) assert.match(errors.get(join(corpus, e.file))!, e.reason!, e.file)
  assert.deepEqual(summary.skipped.map((s) => s.file), by('skipped').map((e) => join(corpus, e.file)))
  for (const e of by('skipped')) assert.match(summary.skipped.find((s) => s.file === join(corpus, e.file))!.reason, e.reason!)
  assert.deepEqual(summary.warnings.map((w) => w.file), by('processed-with-warning').map((e) => join(corpus, e.file)))
  for (const e of by('processed-with-warning')) assert.match(summary.warnings.find((w) => w.file === join(corpus, e.file))!.warning, e.reason!)
  const processed = expectations.filter(isProcessed)
  assert.equal(summary.succeeded, processed.length)
  assert.equal(summary.images, expectations.length - by('skipped').length)
  assert.equal(summary.succeeded + summary.errors.length, summary.images, 'the job finished: every image found succeeded or failed')

  // The CSV lists exactly the processed files, and those that carry the block show exactly the block.
  const table = parseSeverstalCsv(readFileSync(csv, 'utf8'), csv)
  assert.deepEqual([...table.imageIds].sort(), processed.map((e) => e.file).sort())
  const rle = encodeRle(blockMask(BLOCK), IMAGE_H, IMAGE_W)
  for (const e of processed.filter((x) => x.block)) {
    assert.deepEqual(table.masks.filter((m) => m.imageId === e.file), [{ imageId: e.file, classId: 2, rle }], `${e.file}: the block, class 2`)
  }

  // The same files alone give a byte-identical CSV: the bad files changed nothing for the good ones.
  const controlCsv = join(out, 'control.csv')
  const controlRun = runCli(['inspect', control, '--models', NCHW, '--out', controlCsv, '--provider', 'cpu', '--json'])
  assert.equal(controlRun.status, 0, controlRun.stderr)
  assert.equal(readFileSync(csv, 'utf8'), readFileSync(controlCsv, 'utf8'))
})

test('the human summary names each failed file with its reason', () => {
  const dropDac = permissions.mode === 'setpriv'
  const run = runCli(['inspect', corpus, '--models', NCHW, '--out', join(out, 'human.csv'), '--provider', 'cpu'], dropDac)
  assert.equal(run.status, 3, run.stderr)
  const lines = run.stderr.split('\n')
  for (const e of expectations.filter((x) => outcomeOf(x) === 'error')) {
    const line = lines.find((l) => l.trim().startsWith(`${join(corpus, e.file)}: `))
    assert.ok(line, `no line names ${e.file}:\n${run.stderr}`)
    assert.match(line, e.reason!)
  }
  assert.match(run.stderr, /warning: wrong-size-800x600\.jpg: image is 800×600/)
  assert.match(run.stderr, /skipped 1 non-image file\(s\): readme\.txt/)
})

test('a header claiming more pixels than the limit is refused from the header, without allocating', async (t) => {
  // Warm sharp up so that the peak memory below is the refusal alone.
  await decodeImage(readFileSync(join(control, 'good-1.jpg')), { channels: 3 })
  // 30000×30000 is over sharp's own default limit too; 8000×8000 (64 MP) is over only ours.
  for (const [w, h] of [[30000, 30000], [8000, 8000]]) {
    assert.ok(w * h > MAX_INPUT_PIXELS)
    const peakBefore = peakRssBytes()
    const started = performance.now()
    await assert.rejects(decodeImage(pngClaiming(w, h), { channels: 3 }), /cannot decode PNG: .*exceeds pixel limit/)
    t.diagnostic(`${w}×${h}: refused after ${(performance.now() - started).toFixed(0)} ms`)
    const peakAfter = peakRssBytes()
    if (peakBefore !== null && peakAfter !== null) {
      const grewMb = (peakAfter - peakBefore) / 2 ** 20
      assert.ok(grewMb < 100, `${w}×${h}: peak memory grew ${grewMb.toFixed(0)} MB`)
    }
  }
})

test('special files named .jpg: a FIFO does not hang the scan, a dangling link is an error, a folder is not entered', () => {
  const dir = tempDir('coilscope-bad-special-')
  writeFileSync(join(dir, 'good-1.jpg'), readFileSync(join(control, 'good-1.jpg')))
  const fifo = spawnSync('mkfifo', [join(dir, 'pipe.jpg')])
  const haveFifo = fifo.status === 0
  symlinkSync('no-such-file.jpg', join(dir, 'dangling.jpg'))
  mkdirSync(join(dir, 'folder.jpg'))
  const run = runCli(['inspect', dir, '--models', NCHW, '--out', join(out, 'special.csv'), '--provider', 'cpu', '--json'])
  assert.equal(run.signal, null, `the CLI was killed (${run.signal}): a special file hung it\n${run.stderr}`)
  assert.equal(run.status, 3, run.stderr)
  const summary = JSON.parse(run.stdout)
  assert.equal(summary.succeeded, 1)
  assert.deepEqual(summary.errors, [{ file: join(dir, 'dangling.jpg'), error: 'cannot read (ENOENT)' }])
  const special = [...summary.errors, ...summary.skipped].map((x: { file: string }) => x.file)
  if (haveFifo) assert.ok(special.includes(join(dir, 'pipe.jpg')), 'the FIFO is reported, not silently dropped')
  assert.ok(!special.includes(join(dir, 'folder.jpg')), 'sub-folders are not entered')
})

/** The process's peak resident set (Linux), or null where /proc is not there. */
function peakRssBytes(): number | null {
  if (!existsSync('/proc/self/status')) return null
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))
  return match ? Number(match[1]) * 1024 : null
}
