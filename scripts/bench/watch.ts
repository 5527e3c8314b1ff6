// The cost of watching: a generator writes synthetic coils into a folder that `coilscope watch`
// watches, at set arrival rates, each file written slowly in chunks like a camera would; the
// benchmark reads each result's time from the store and prints, per rate, the median and p95 time
// from a file's completion (its writer closed it) to its result in the store, and whether the rate
// was sustained (latency did not keep growing: the last quarter's median within 2× the first
// quarter's plus one second). Beside it, `coilscope inspect` on the same images as a finished
// folder: its images/s is the ceiling, and the highest sustained rate ÷ that is the cost of watching.
// Numbers, not assertions: the machine's load is printed with them.
//
//   node scripts/bench/watch.ts [--count 40] [--rates 0.5,0.8,1.0,1.25,1.5] (× inspect's images/s) [--models models/default]
//                               [--threads N] [--write-ms 400] [--stable-ms 500] [--seed 7] [--seconds S]
//                               [--images-per-second 6,8] (rates in images/s instead of --rates)
//
// `--seconds S` holds each rate for S seconds of arrivals (a plant figure wants 300): the --count
// coils are written again and again under new names, as many as the rate brings in that time.
import { spawn } from 'node:child_process'
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const BIN = join(ROOT, 'bin/coilscope.js')
const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '40' },
    rates: { type: 'string', default: '0.5,0.8,1.0,1.25,1.5' },
    models: { type: 'string', default: join(ROOT, 'models/default') },
    threads: { type: 'string' },
    'write-ms': { type: 'string', default: '400' },
    'stable-ms': { type: 'string', default: '500' },
    seed: { type: 'string', default: '7' },
    seconds: { type: 'string' },
    'images-per-second': { type: 'string' },
  },
})
const count = Number(args.count)
const writeMs = Number(args['write-ms'])
const stableMs = Number(args['stable-ms'])
const seconds = args.seconds === undefined ? null : Number(args.seconds)
const threadArgs = args.threads ? ['--threads', args.threads] : []
const log = (line: string) => process.stderr.write(`bench: ${line}\n`)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function run(argv: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('exit', (code) => done({ code, stdout, stderr }))
  })
}

/** The arrivals at `rate` for `seconds`: the coils again and again, each under a name of its own. */
function arrivalsFor(images: readonly { name: string; bytes: Buffer }[], rate: number): { name: string; bytes: Buffer }[] {
  if (seconds === null) return [...images]
  return Array.from({ length: Math.ceil(rate * seconds) }, (_, n) => {
    const image = images[n % images.length]
    return { name: `${String(n).padStart(6, '0')}-${image.name}`, bytes: image.bytes }
  })
}

/** Writes `bytes` to `path` in four chunks over `spanMs`; returns when the writer closed it. */
async function writeSlowly(path: string, bytes: Buffer, spanMs: number): Promise<number> {
  const fd = openSync(path, 'w')
  const chunk = Math.ceil(bytes.length / 4)
  for (let offset = 0; offset < bytes.length; offset += chunk) {
    writeSync(fd, bytes, offset, Math.min(chunk, bytes.length - offset))
    await sleep(spanMs / 4)
  }
  closeSync(fd)
  return Date.now()
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
}
const median = (values: readonly number[]) => quantile([...values].sort((a, b) => a - b), 0.5)

interface RateResult {
  readonly rate: number
  readonly medianMs: number
  readonly p95Ms: number
  readonly firstQuarterMs: number
  readonly lastQuarterMs: number
  readonly isSustained: boolean
  readonly inspected: number
  /** Results per second from the first result to the last (the inspection rate while watching). */
  readonly resultsPerSecond: number
  /** Seconds from the first file's completion to the last's (the arrivals as they really came). */
  readonly arrivalSeconds: number
}

async function watchAtRate(images: readonly { name: string; bytes: Buffer }[], rate: number, work: string): Promise<RateResult> {
  const folder = join(work, `watched-${rate.toFixed(3)}`)
  mkdirSync(folder)
  const db = join(work, `watch-${rate.toFixed(3)}.db`)
  const child = spawn(process.execPath, [BIN, 'watch', folder, '--db', db, '--models', args.models!, '--provider', 'cpu', ...threadArgs, '--stable-ms', String(stableMs), '--status-every', '3600'], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (d) => (stderr += d).includes('Ctrl+C') && resolve())
    child.once('exit', () => reject(new Error(`watch ended: ${stderr}`)))
  })
  // Let the models load before the first arrival (as on a line that was started before the shift).
  await sleep(3000)
  const completed = new Map<string, number>()
  const started = Date.now()
  const writes = images.map(async ({ name, bytes }, i) => {
    await sleep(Math.max(0, started + (i / rate) * 1000 - Date.now()))
    completed.set(name, await writeSlowly(join(folder, name), bytes, writeMs))
  })
  await Promise.all(writes)
  const reader = new Database(db, { readonly: true })
  const results = () => reader.prepare('SELECT i.relative_path AS name, p.created_at_ms AS at FROM predictions p JOIN images i ON i.id = p.image_id').all() as { name: string; at: number }[]
  const deadline = Date.now() + 600_000
  while (results().length < images.length && Date.now() < deadline) await sleep(200)
  const stored = results()
  const latencies = stored.map((r) => r.at - completed.get(r.name)!)
  const resultTimes = stored.map((r) => r.at).sort((a, b) => a - b)
  const completions = [...completed.values()].sort((a, b) => a - b)
  const byArrival = results().sort((a, b) => completed.get(a.name)! - completed.get(b.name)!).map((r) => r.at - completed.get(r.name)!)
  reader.close()
  child.kill('SIGINT')
  await new Promise((resolve) => child.once('exit', resolve))
  const sorted = [...latencies].sort((a, b) => a - b)
  const quarter = Math.max(1, Math.floor(byArrival.length / 4))
  const firstQuarterMs = median(byArrival.slice(0, quarter))
  const lastQuarterMs = median(byArrival.slice(-quarter))
  return {
    rate,
    medianMs: quantile(sorted, 0.5),
    p95Ms: quantile(sorted, 0.95),
    firstQuarterMs,
    lastQuarterMs,
    isSustained: latencies.length === images.length && lastQuarterMs <= 2 * firstQuarterMs + 1000,
    inspected: latencies.length,
    resultsPerSecond: (resultTimes.length - 1) / Math.max(0.001, (resultTimes.at(-1)! - resultTimes[0]) / 1000),
    arrivalSeconds: (completions.at(-1)! - completions[0]) / 1000,
  }
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'coilscope-bench-watch-'))
  try {
    log(`${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
    const coils = join(work, 'coils')
    const synth = await run(['synth', coils, '--count', String(count), '--seed', args.seed!])
    if (synth.code !== 0) throw new Error(synth.stderr)
    const images = readdirSync(coils).filter((n) => n.endsWith('.jpg')).sort().map((name) => ({ name, bytes: readFileSync(join(coils, name)) }))

    const inspectFolder = async (label: string) => {
      const inspect = await run(['inspect', coils, '--models', args.models!, '--provider', 'cpu', ...threadArgs, '--db', join(work, `inspect-${label}.db`), '--out', join(work, `inspect-${label}.csv`), '--json'])
      if (inspect.code !== 0) throw new Error(inspect.stderr)
      const summary = JSON.parse(inspect.stdout) as { inspectImagesPerSecond: number; imagesPerSecond: number }
      log(`inspect ${label}, finished folder: ${summary.inspectImagesPerSecond.toFixed(2)} images/s (models loaded → last result), ${summary.imagesPerSecond.toFixed(2)} images/s whole command`)
      return summary.inspectImagesPerSecond
    }
    // Rates are set from this first measurement; inspect runs again at the end, as the host's load drifts.
    const ceiling = await inspectFolder('before')

    const results: RateResult[] = []
    // Rates in images/s when given so (the same rates for two builds), else as multiples of inspect's.
    const absolute = args['images-per-second']?.split(',').map(Number)
    for (const rate of absolute ?? args.rates!.split(',').map((factor) => Number(factor) * ceiling)) {
      const factor = Number((rate / ceiling).toFixed(2))
      const arrivals = arrivalsFor(images, rate)
      log(`watching at ${rate.toFixed(2)} images/s (${factor} × inspect), ${arrivals.length} images written over ${writeMs} ms each…`)
      results.push(await watchAtRate(arrivals, rate, work))
      const r = results.at(-1)!
      log(`  median ${r.medianMs} ms, p95 ${r.p95Ms} ms, first ¼ → last ¼ median ${r.firstQuarterMs} → ${r.lastQuarterMs} ms, ${r.resultsPerSecond.toFixed(2)} results/s over ${r.arrivalSeconds.toFixed(0)} s of arrivals, sustained: ${r.isSustained}`)
    }
    const ceilingAfter = await inspectFolder('after')
    const best = results.filter((r) => r.isSustained).reduce((a, r) => Math.max(a, r.rate), 0)
    const lines = [
      `| arrival rate (images/s) | × inspect | arrivals took | results/s while watching | completion → result median | p95 | first ¼ → last ¼ median | sustained |`,
      `|---:|---:|---:|---:|---:|---:|---:|:---:|`,
      ...results.map((r) => `| ${r.rate.toFixed(2)} | ${(r.rate / ceiling).toFixed(2)} | ${r.arrivalSeconds.toFixed(1)} s | ${r.resultsPerSecond.toFixed(2)} | ${(r.medianMs / 1000).toFixed(2)} s | ${(r.p95Ms / 1000).toFixed(2)} s | ${(r.firstQuarterMs / 1000).toFixed(2)} → ${(r.lastQuarterMs / 1000).toFixed(2)} s | ${r.isSustained ? 'yes' : `no (${r.inspected} inspected)`} |`),
      '',
      `inspect on the same ${count} images as a finished folder: ${ceiling.toFixed(2)} images/s before the watch runs, ${ceilingAfter.toFixed(2)} after; highest sustained arrival rate tested: ${best.toFixed(2)} images/s (${(best / ceiling).toFixed(2)} × inspect before, ${(best / ceilingAfter).toFixed(2)} × after).`,
      `Files written in 4 chunks over ${writeMs} ms; a file counts as complete after ${stableMs} ms without growing (included in the latency). Load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}.`,
    ]
    process.stdout.write(`${lines.join('\n')}\n`)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

await main()
