// `npm run bench`: the seed-like ensemble on a synthetic folder, measured side by side in one run:
//   (a) the model-only bound: every member alone, Σ session.run over the images it would see
//   (b) `coilscope inspect` end to end, with --db, with its temporary database, and with no store
//       at all (the same inference process fed directly)
//   (c) the peer: the same models in PyTorch, a plain eager loop (Debian's /usr/bin/python3)
// Every variant runs in its own process (tree), `--repeats` times, in rotating order; the table
// shows medians, and ratios taken within each repeat. The gate is forced from the folder's truth
// (`--gate-override`): stage 2 runs on exactly the defective images, whatever the random-weight
// classifiers say, and the classifiers still run on every image.
//
//   npm run bench -- [--count 64] [--seed 5] [--repeats 3] [--models DIR] [--skip-peer]
//                    [--threads N] [--json] [--out scripts/bench/results/latest.json]
//
// With --int8 DIR (an int8 set made by `coilscope models quantize` from --models): side by side,
// the fp32 bound, the int8 bound and `inspect --db` on each, in rotating order, with the ratios
// of every repeat (int8 bound ÷ fp32 bound, each inspect ÷ its own bound).
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { parseSeverstalCsv } from '../../src-shared/severstalCsv.ts'
import { TreeSampler, type TreeMemory } from './procTree.ts'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const NODE = process.execPath
const PYTHON = '/usr/bin/python3'

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '64' },
    seed: { type: 'string', default: '5' },
    repeats: { type: 'string', default: '3' },
    models: { type: 'string' },
    int8: { type: 'string' },
    threads: { type: 'string' },
    'skip-peer': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    out: { type: 'string', default: join(ROOT, 'scripts/bench/results/latest.json') },
  },
})
const count = positive('count')
const seed = Number(args.seed)
const repeats = positive('repeats')
const modelsDir = resolve(args.models ?? join(ROOT, '.cache/bench-models/seed-like'))
const int8Dir = args.int8 ? resolve(args.int8) : null
const log = (line: string) => process.stderr.write(`bench: ${line}\n`)

type Variant = 'a' | 'bDb' | 'bTmp' | 'bNoStore' | 'c' | 'aInt8' | 'bDbInt8'
const LABELS: Record<Variant, string> = {
  a: '(a) model-only bound: Σ isolated session.run',
  aInt8: '(a) int8 model-only bound',
  bDbInt8: '(b) int8 coilscope inspect --db',
  bDb: '(b) coilscope inspect --db',
  bTmp: '(b) coilscope inspect (temporary db)',
  bNoStore: '(b) inference process only, no store',
  c: '(c) peer: PyTorch eager loop',
}

interface RunResult {
  readonly variant: Variant
  readonly repeat: number
  /** Steady images/s: (a) images / Σ run time; (b), (c) images / time from models loaded to the last result. */
  readonly imagesPerSecond: number
  /** images / the whole command, process start to exit. */
  readonly wallImagesPerSecond: number
  readonly wallSeconds: number
  readonly startupSeconds: number | null
  readonly memory: TreeMemory
  /** Milliseconds per image of each phase (totals / images). */
  readonly phaseMs: Record<string, number>
  readonly areaPx: number[] | null
  readonly raw: unknown
}

await main()

async function main(): Promise<void> {
  const conditions = { loadAverageBefore: loadavg(), otherLoad: otherHeavyProcesses() }
  if (conditions.otherLoad.length > 0) log(`WARNING: other heavy processes are running, numbers will be distorted: ${conditions.otherLoad.join('; ')}`)
  await ensureModels()
  const { folder, gateFile, gatedIn } = await ensureFolder()
  if (int8Dir && !existsSync(join(int8Dir, 'manifest.json'))) throw new Error(`${int8Dir}: no manifest.json`)
  const variants: Variant[] = int8Dir ? ['a', 'aInt8', 'bDb', 'bDbInt8'] : ['a', 'bDb', 'bTmp', 'bNoStore', ...(args['skip-peer'] ? [] : (['c'] as const))]
  const work = mkdtempSync(join(tmpdir(), 'coilscope-bench-'))
  const results: RunResult[] = []
  try {
    for (let r = 0; r < repeats; r++) {
      // Rotate the order, so that slow drift of the machine does not always hit the same variant.
      const order = variants.map((_, i) => variants[(i + r) % variants.length])
      for (const variant of order) {
        log(`repeat ${r + 1}/${repeats}: ${LABELS[variant]} …`)
        const result = await runVariant(variant, r, folder, gateFile, work)
        log(`  ${result.imagesPerSecond.toFixed(3)} images/s steady, ${result.wallSeconds.toFixed(1)} s wall, peak RSS ${gb(result.memory.peakRssSumBytes)}`)
        results.push(result)
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  const report = summarise(results, variants, { folder, gatedIn, conditions: { ...conditions, loadAverageAfter: loadavg(), otherLoadAfter: otherHeavyProcesses() } })
  mkdirSync(dirname(args.out!), { recursive: true })
  writeFileSync(args.out!, `${JSON.stringify(report, null, 2)}\n`)
  const table = formatTable(report)
  if (args.json) {
    process.stderr.write(table)
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
  } else process.stdout.write(table)
  log(`wrote ${args.out}`)
}

async function runVariant(variant: Variant, repeat: number, folder: string, gateFile: string, work: string): Promise<RunResult> {
  const threads = args.threads ? ['--threads', args.threads] : []
  const models = variant.endsWith('Int8') ? int8Dir! : modelsDir
  const common = ['--models', models, '--folder', folder, '--gate', gateFile]
  const cli = (extra: string[]) => [join(ROOT, 'bin/coilscope.js'), 'inspect', folder, '--models', models, '--gate-override', gateFile, '--out', join(work, `submission-${variant}-${repeat}.csv`), '--json', ...threads, ...extra]
  const commands: Record<Variant, [string, string[]]> = {
    a: [NODE, [join(ROOT, 'scripts/bench/modelOnly.ts'), ...common, ...threads]],
    aInt8: [NODE, [join(ROOT, 'scripts/bench/modelOnly.ts'), ...common, ...threads]],
    bDb: [NODE, cli(['--db', join(work, `run-${repeat}.db`)])],
    bDbInt8: [NODE, cli(['--db', join(work, `run-${repeat}-int8.db`)])],
    bTmp: [NODE, cli([])],
    bNoStore: [NODE, [join(ROOT, 'scripts/bench/noStore.ts'), ...common, ...threads]],
    c: [PYTHON, [join(ROOT, 'models/training/benchmark/peer.py'), ...common, ...(args.threads ? ['--threads', args.threads] : [])]],
  }
  const [command, commandArgs] = commands[variant]
  const { stdout, wallSeconds, memory } = await measure(command, commandArgs)
  const out = JSON.parse(stdout) as Record<string, any>
  const isInspect = variant === 'bDb' || variant === 'bTmp' || variant === 'bDbInt8'
  const images: number = isInspect ? out.inspected : out.images
  const perImage = (totals: Record<string, number>) => Object.fromEntries(Object.entries(totals).map(([k, v]) => [k.replace(/Ms$/, ''), v / images]))
  if (variant === 'a' || variant === 'aInt8') {
    return {
      variant, repeat, wallSeconds, memory, raw: out, areaPx: null, startupSeconds: null,
      imagesPerSecond: images / (out.totalMs / 1000),
      wallImagesPerSecond: images / wallSeconds,
      phaseMs: { decode: out.decodeMs / images, tensor: out.tensorMs / images, stage1Run: out.stage1Ms / images, stage2Run: out.stage2Ms / images },
    }
  }
  const areaPx = isInspect ? (out.perClass as { areaPx: number }[]).map((c) => c.areaPx) : out.areaPx
  return {
    variant, repeat, wallSeconds, memory, raw: out, areaPx,
    startupSeconds: out.startupSeconds,
    imagesPerSecond: images / out.inspectSeconds,
    wallImagesPerSecond: images / wallSeconds,
    phaseMs: perImage(out.totalMs),
  }
}

/** Runs a command to its end, timing it and sampling its process tree's memory. */
function measure(command: string, commandArgs: string[]): Promise<{ stdout: string; wallSeconds: number; memory: TreeMemory }> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now()
    const child = spawn(command, commandArgs, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    const sampler = new TreeSampler(child.pid!)
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => {
      const wallSeconds = (performance.now() - started) / 1000
      const memory = sampler.stop()
      if (code !== 0) reject(new Error(`${command} ${commandArgs.join(' ')} exited with ${code}:\n${stderr.slice(-2000)}`))
      else resolvePromise({ stdout, wallSeconds, memory })
    })
  })
}

async function ensureModels(): Promise<void> {
  if (existsSync(join(modelsDir, 'manifest.json'))) return
  if (args.models) throw new Error(`${modelsDir}: no manifest.json`)
  log(`building the benchmark models into ${dirname(modelsDir)} (Debian's PyTorch, about a minute) …`)
  await measure(PYTHON, [join(ROOT, 'models/training/benchmark/make_bench_models.py')])
}

/** The synthetic folder (made once per count and seed) and its gate file from the truth. */
async function ensureFolder(): Promise<{ folder: string; gateFile: string; gatedIn: number }> {
  const folder = join(ROOT, '.cache/bench', `synth-${count}-seed${seed}`)
  const truthFile = join(folder, 'truth.csv')
  const jpegs = () => (existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith('.jpg')) : [])
  if (!existsSync(truthFile) || jpegs().length !== count) {
    rmSync(folder, { recursive: true, force: true })
    log(`writing ${count} synthetic images (seed ${seed}) to ${folder} …`)
    await measure(NODE, [join(ROOT, 'bin/coilscope.js'), 'synth', folder, '--count', String(count), '--seed', String(seed)])
  }
  const defective = new Set(parseSeverstalCsv(readFileSync(truthFile, 'utf8'), truthFile).masks.map((row) => row.imageId))
  const gate = Object.fromEntries(jpegs().sort().map((name) => [name, defective.has(name)]))
  const gateFile = join(folder, 'gate.json')
  writeFileSync(gateFile, `${JSON.stringify(gate, null, 1)}\n`)
  return { folder, gateFile, gatedIn: Object.values(gate).filter(Boolean).length }
}

function summarise(results: RunResult[], variants: Variant[], context: { folder: string; gatedIn: number; conditions: object }) {
  const of = (v: Variant) => results.filter((r) => r.variant === v)
  const byRepeat = (v: Variant, r: number) => results.find((x) => x.variant === v && x.repeat === r)
  const ratio = (num: Variant, den: Variant) => {
    if (!variants.includes(num) || !variants.includes(den)) return null
    return median(Array.from({ length: repeats }, (_, r) => byRepeat(num, r)!.imagesPerSecond / byRepeat(den, r)!.imagesPerSecond))
  }
  const perRepeat = (num: Variant, den: Variant) => Array.from({ length: repeats }, (_, r) => round(byRepeat(num, r)!.imagesPerSecond / byRepeat(den, r)!.imagesPerSecond, 3))
  // Other work on the machine only ever slows a run down: the best run of each is the least disturbed.
  const best = (v: Variant) => Math.max(...of(v).map((r) => r.imagesPerSecond))
  const bestRatio = (num: Variant, den: Variant) => (variants.includes(num) && variants.includes(den) ? best(num) / best(den) : null)
  const rows = Object.fromEntries(
    variants.map((v) => {
      const runs = of(v)
      const phases = [...new Set(runs.flatMap((r) => Object.keys(r.phaseMs)))]
      return [
        v,
        {
          label: LABELS[v],
          imagesPerSecond: median(runs.map((r) => r.imagesPerSecond)),
          bestImagesPerSecond: best(v),
          imagesPerSecondRuns: runs.map((r) => round(r.imagesPerSecond, 4)),
          wallImagesPerSecond: median(runs.map((r) => r.wallImagesPerSecond)),
          wallSeconds: median(runs.map((r) => r.wallSeconds)),
          startupSeconds: v === 'a' || v === 'aInt8' ? null : median(runs.map((r) => r.startupSeconds ?? 0)),
          peakRssBytes: Math.max(...runs.map((r) => r.memory.peakRssSumBytes)),
          sampledRssBytes: Math.max(...runs.map((r) => r.memory.sampledRssBytes)),
          processes: Math.max(...runs.map((r) => r.memory.processes)),
          phaseMsPerImage: Object.fromEntries(phases.map((p) => [p, median(runs.map((r) => r.phaseMs[p] ?? 0))])),
          areaPx: runs[0].areaPx,
          // The inference process's own load: hash checks, then opening (and merging) sessions.
          loadMs: runs.every((r) => (r.raw as { loadMs?: unknown }).loadMs)
            ? {
                verify: median(runs.map((r) => (r.raw as { loadMs: { verify: number } }).loadMs.verify)),
                open: median(runs.map((r) => (r.raw as { loadMs: { open: number } }).loadMs.open)),
              }
            : null,
        },
      ]
    }),
  )
  const inspected = (of('a')[0]?.raw as { images?: number } | undefined)?.images ?? count
  return {
    bench: {
      date: new Date().toISOString(),
      models: modelsDir,
      int8Models: int8Dir,
      folder: context.folder,
      images: inspected,
      gatedIn: context.gatedIn,
      gate: 'forced from truth.csv with --gate-override: stage 2 on exactly the defective images; the classifiers run on all',
      repeats,
      machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version },
      conditions: context.conditions,
      definitions: {
        imagesPerSecond: '(a) images / Σ isolated session.run; (b), (c) images / (last result − models loaded): the steady pipeline',
        wallImagesPerSecond: 'images / the whole command, process start to exit (startup included)',
        peakRssBytes: 'Σ over the process tree of each process peak RSS (VmHWM), the largest over the repeats',
        ratios: 'median over repeats of the ratio within each repeat',
        bestRatios: 'ratio of the best (fastest) repeat of each: other work on the machine only slows runs down',
      },
    },
    results: rows,
    /** Side by side with --int8: the ratio within every repeat, in repeat order. */
    perRepeat: int8Dir ? {
      aInt8OverA: perRepeat('aInt8', 'a'),
      bDbOverA: perRepeat('bDb', 'a'),
      bDbInt8OverAInt8: perRepeat('bDbInt8', 'aInt8'),
      bDbInt8OverBDb: perRepeat('bDbInt8', 'bDb'),
    } : null,
    ratios: {
      aInt8OverA: ratio('aInt8', 'a'),
      bDbInt8OverAInt8: ratio('bDbInt8', 'aInt8'),
      bDbInt8OverBDb: ratio('bDbInt8', 'bDb'),
      bDbOverA: ratio('bDb', 'a'),
      bTmpOverA: ratio('bTmp', 'a'),
      bNoStoreOverA: ratio('bNoStore', 'a'),
      cOverA: ratio('c', 'a'),
      bDbOverC: ratio('bDb', 'c'),
      bTmpOverC: ratio('bTmp', 'c'),
      bNoStoreOverC: ratio('bNoStore', 'c'),
    },
    bestRatios: {
      aInt8OverA: bestRatio('aInt8', 'a'),
      // An int8 inspect is compared with its own (int8) bound.
      bDbInt8OverA: bestRatio('bDbInt8', 'aInt8'),
      bDbOverA: bestRatio('bDb', 'a'),
      bTmpOverA: bestRatio('bTmp', 'a'),
      bNoStoreOverA: bestRatio('bNoStore', 'a'),
      cOverA: bestRatio('c', 'a'),
      bDbOverC: bestRatio('bDb', 'c'),
      bTmpOverC: bestRatio('bTmp', 'c'),
      bNoStoreOverC: bestRatio('bNoStore', 'c'),
    },
    runs: results.map(({ raw: _raw, ...r }) => r),
  }
}

type Report = ReturnType<typeof summarise>

function formatTable(report: Report): string {
  const { bench, results, ratios, bestRatios } = report
  const lines = [
    `Coilscope bench: ${bench.images} images, ${bench.gatedIn} to stage 2 (gate forced from the truth), ${bench.repeats} repeats, medians`,
    `  models ${bench.models}; ${bench.machine.cpu}, ${bench.machine.cores} cores`,
    '',
    '| run | images/s | ÷ (a) | ÷ (c) | best images/s | best ÷ (a) | best ÷ (c) | wall s (images/s) | startup s | peak RSS |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ]
  const r = ratios as Record<string, number | null>
  const br = bestRatios as Record<string, number | null>
  for (const [v, row] of Object.entries(results)) {
    const overA = v === 'a' ? 1 : v === 'bDbInt8' ? r.bDbInt8OverAInt8 : r[`${v}OverA`]
    const overC = v === 'c' ? 1 : v === 'a' ? null : r[`${v}OverC`]
    const bestOverA = v === 'a' ? 1 : br[`${v}OverA`]
    const bestOverC = v === 'c' ? 1 : v === 'a' ? null : br[`${v}OverC`]
    lines.push(
      `| ${row.label} | ${row.imagesPerSecond.toFixed(2)} | ${fmt(overA)} | ${fmt(overC, '×')} | ${row.bestImagesPerSecond.toFixed(2)} | ${fmt(bestOverA)} | ${fmt(bestOverC, '×')} | ${row.wallSeconds.toFixed(1)} (${row.wallImagesPerSecond.toFixed(2)}) | ${row.startupSeconds === null ? '' : row.startupSeconds.toFixed(1)} | ${gb(row.peakRssBytes)} |`,
    )
  }
  if (report.perRepeat) {
    const pr = report.perRepeat
    const line = (label: string, values: number[], median: number | null) => `| ${label} | ${values.map((v) => v.toFixed(2)).join(', ')} | ${fmt(median)} |`
    lines.push(
      '',
      `int8 set ${bench.int8Models}, side by side (ratios within each repeat)`,
      '| ratio | per repeat | median |',
      '|---|---|---:|',
      line('int8 bound ÷ fp32 bound', pr.aInt8OverA, ratios.aInt8OverA),
      line('fp32 inspect --db ÷ fp32 bound', pr.bDbOverA, ratios.bDbOverA),
      line('int8 inspect --db ÷ int8 bound', pr.bDbInt8OverAInt8, ratios.bDbInt8OverAInt8),
      line('int8 inspect --db ÷ fp32 inspect --db', pr.bDbInt8OverBDb, ratios.bDbInt8OverBDb),
    )
  }
  const b = results.bDb
  if (b) {
    const inspectMsPerImage = 1000 / b.imagesPerSecond
    const p = b.phaseMsPerImage
    const inline = ['decodeWait', 'tensor', 'stage1Run', 'stage2Run', 'ensemble', 'post'].reduce((s, k) => s + (p[k] ?? 0), 0)
    const isolated = results.a?.phaseMsPerImage ?? {}
    lines.push(
      '',
      `Where the time goes in (b) --db: ms per image (median), of ${inspectMsPerImage.toFixed(1)} ms per image`,
      '| phase | ms/image | share | model-only (a) |',
      '|---|---:|---:|---:|',
      `| decode (sharp), the part the models waited for | ${f1(p.decodeWait)} | ${pct(p.decodeWait, inspectMsPerImage)} | ${f1(isolated.decode)} alone, overlapped with the previous image |`,
      `| model input (resize, normalise) | ${f1(p.tensor)} | ${pct(p.tensor, inspectMsPerImage)} | ${f1(isolated.tensor)} alone |`,
      `| stage 1 session.run | ${f1(p.stage1Run)} | ${pct(p.stage1Run, inspectMsPerImage)} | ${f1(isolated.stage1Run)} |`,
      `| stage 2 session.run | ${f1(p.stage2Run)} | ${pct(p.stage2Run, inspectMsPerImage)} | ${f1(isolated.stage2Run)} |`,
      `| averaging, quantising maps | ${f1(p.ensemble)} | ${pct(p.ensemble, inspectMsPerImage)} | |`,
      `| post-processing (thresholds, scaling, RLE) | ${f1(p.post)} | ${pct(p.post, inspectMsPerImage)} | |`,
      `| store (main process, during the next image) | ${f1(p.store)} | overlapped | |`,
      `| the rest (waits, messages, GC) | ${f1(inspectMsPerImage - inline)} | ${pct(inspectMsPerImage - inline, inspectMsPerImage)} | |`,
    )
  }
  const load = results.bNoStore?.loadMs
  if (load && results.bNoStore.startupSeconds !== null) {
    lines.push('', `Startup of the inference process (no store): ${results.bNoStore.startupSeconds.toFixed(2)} s to models loaded, of which hash checks ${(load.verify / 1000).toFixed(2)} s, opening and merging the sessions ${(load.open / 1000).toFixed(2)} s`)
  }
  const areas = Object.entries(results).filter(([, r]) => r.areaPx).map(([v, r]) => `${v} ${r.areaPx!.reduce((s, x) => s + x, 0)}`)
  if (areas.length > 0) lines.push('', `Mask pixels, all classes (same work check): ${areas.join(', ')}`)
  return `${lines.join('\n')}\n`
}

function otherHeavyProcesses(): string[] {
  const found: string[] = []
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim()
      if (/python3.*train/.test(cmd)) found.push(`${pid} ${cmd.slice(0, 80)}`)
    } catch {
      // gone
    }
  }
  return found
}

function positive(name: 'count' | 'repeats'): number {
  const n = Number(args[name])
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: expected a positive integer`)
  return n
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y)
  const mid = sorted.length >> 1
  return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits))
}

function gb(bytes: number): string {
  return `${(bytes / 1e9).toFixed(2)} GB`
}

function fmt(value: number | null | undefined, suffix = ''): string {
  return value == null || Number.isNaN(value) ? '' : `${value.toFixed(2)}${suffix}`
}

function f1(value: number | undefined): string {
  return value === undefined ? '' : value.toFixed(1)
}

function pct(part: number | undefined, whole: number): string {
  return part === undefined ? '' : `${((100 * part) / whole).toFixed(1)} %`
}
