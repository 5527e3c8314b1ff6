// Side-by-side measurements of the pipeline's settings: the inference process without a store
// (scripts/bench/noStore.ts) under each configuration, interleaved round by round so that the
// machine's drift hits every configuration alike, next to the model-only bound (a) measured in
// the same rounds. Uses the bench folder of `npm run bench` (made there first).
//   node scripts/bench/ablate.ts [--count 24] [--seed 5] [--rounds 3] [--models DIR]
//        [--configs "merged:merge=1 separate:merge=0 …"] [--json]
// A config is name:key=value,… with keys merge, spinning, mempattern, prefetch (0|1) and threads
// (N); a key in capitals is set as an environment variable of that run; bound=1 runs the model-only
// bound (modelOnly.ts) under that config instead of the pipeline.
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { parseSeverstalCsv } from '../../src-shared/severstalCsv.ts'
import { TreeSampler } from './procTree.ts'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '24' },
    seed: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    models: { type: 'string' },
    configs: { type: 'string', default: 'merged:merge=1 separate:merge=0' },
    'skip-bound': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
})
const modelsDir = resolve(args.models ?? join(ROOT, '.cache/bench-models/seed-like'))
const folder = join(ROOT, '.cache/bench', `synth-${args.count}-seed${args.seed}`)
const configs = args.configs!.trim().split(/\s+/).map((spec) => {
  const [name, settings = ''] = spec.split(':')
  const pairs = settings.split(',').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])
  return {
    name,
    isBound: pairs.some(([k, v]) => k === 'bound' && v === '1'),
    flags: pairs.filter(([k]) => k !== 'bound' && k !== k.toUpperCase()).flatMap(([k, v]) => [`--${k}`, v]),
    env: Object.fromEntries(pairs.filter(([k]) => k === k.toUpperCase())),
  }
})

if (!existsSync(join(folder, 'truth.csv'))) {
  await run(process.execPath, [join(ROOT, 'bin/coilscope.js'), 'synth', folder, '--count', args.count!, '--seed', args.seed!])
}
const truth = join(folder, 'truth.csv')
const defective = new Set(parseSeverstalCsv(readFileSync(truth, 'utf8'), truth).masks.map((m) => m.imageId))
const gateFile = join(folder, 'gate.json')
writeFileSync(gateFile, JSON.stringify(Object.fromEntries(readdirSync(folder).filter((f) => f.endsWith('.jpg')).sort().map((n) => [n, defective.has(n)]))))

const common = ['--models', modelsDir, '--folder', folder, '--gate', gateFile]
const results: Record<string, { ips: number[]; rss: number[]; beyond: number[]; phases: Record<string, number>[] }> = {}
for (let round = 0; round < Number(args.rounds); round++) {
  const order = [...(args['skip-bound'] ? [] : [{ name: '(a) bound', isBound: true, flags: [] as string[], env: {} }]), ...configs]
  const rotated = order.map((_, i) => order[(i + round) % order.length])
  for (const config of rotated) {
    const script = config.isBound ? 'modelOnly.ts' : 'noStore.ts'
    const { stdout, peak } = await run(process.execPath, [join(ROOT, 'scripts/bench', script), ...common, ...config.flags], config.env)
    const out = JSON.parse(stdout)
    const ips = script === 'modelOnly.ts' ? out.images / (out.totalMs / 1000) : out.inspectImagesPerSecond
    const entry = (results[config.name] ??= { ips: [], rss: [], beyond: [], phases: [] })
    entry.ips.push(ips)
    entry.beyond.push(out.beyondMedianMs / 1000)
    entry.rss.push(peak)
    entry.phases.push(script === 'modelOnly.ts' ? { stage1Run: out.stage1Ms / out.images, stage2Run: out.stage2Ms / out.images } : Object.fromEntries(Object.entries(out.totalMs as Record<string, number>).map(([k, v]) => [k.replace(/Ms$/, ''), v / out.images])))
    process.stderr.write(`ablate: round ${round + 1} ${config.name}: ${ips.toFixed(3)} images/s\n`)
  }
}

const bound = results['(a) bound']
const summary = Object.entries(results).map(([name, r]) => ({
  name,
  imagesPerSecond: median(r.ips),
  runs: r.ips.map((v) => Number(v.toFixed(3))),
  // Within each round, against the bound of that round.
  overBound: bound ? median(r.ips.map((v, i) => v / bound.ips[i])) : null,
  peakRssGB: Math.max(...r.rss) / 1e9,
  // Seconds the stage runs took beyond their steady medians: first runs of fresh sessions, stalls.
  beyondSteadySeconds: median(r.beyond),
  msPerImage: Object.fromEntries(Object.keys(r.phases[0]).map((k) => [k, median(r.phases.map((p) => p[k]))])),
}))
if (args.json) process.stdout.write(`${JSON.stringify({ folder, models: modelsDir, rounds: Number(args.rounds), summary }, null, 2)}\n`)
else {
  process.stdout.write(`| config | images/s (median) | ÷ (a) | runs | peak RSS | stage 1 / stage 2 ms per image | runs beyond steady s |\n|---|---:|---:|---|---:|---|---:|\n`)
  for (const s of summary) {
    process.stdout.write(`| ${s.name} | ${s.imagesPerSecond.toFixed(3)} | ${s.overBound?.toFixed(3) ?? ''} | ${s.runs.join(' ')} | ${s.peakRssGB.toFixed(2)} GB | ${s.msPerImage.stage1Run?.toFixed(1)} / ${s.msPerImage.stage2Run?.toFixed(1)} | ${s.beyondSteadySeconds.toFixed(2)} |\n`)
  }
}

function run(command: string, commandArgs: string[], env: Record<string, string> = {}): Promise<{ stdout: string; peak: number }> {
  return new Promise((ok, fail) => {
    const child = spawn(command, commandArgs, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
    const sampler = new TreeSampler(child.pid!)
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => (stdout += c))
    child.stderr.on('data', (c) => (stderr += c))
    child.on('close', (code) => {
      const { peakRssSumBytes } = sampler.stop()
      if (code === 0) ok({ stdout, peak: peakRssSumBytes })
      else fail(new Error(`${commandArgs.join(' ')}: exit ${code}\n${stderr.slice(-1500)}`))
    })
  })
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
