// What watching costs the host's event loop as a watched folder fills over a shift: the watcher
// (src-main/watch/completedFiles.ts) on a folder that already holds N files, while a camera writes
// new ones at a set rate — this process's CPU (it runs nothing else) and its event loop delay.
// A watcher that reads a folder again when files appear in it (chokidar did: a stat of every file,
// about once a second) costs more at each arrival the fuller the folder is: flat (every image in
// one folder) against one folder per coil (100 images each, the new images in a new coil folder).
// Numbers, not assertions.
//
//   node scripts/bench/watchFolderSize.ts [--sizes 0,2000,10000] [--rate 4] [--seconds 10]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { watchCompletedFiles } from '../../src-main/watch/completedFiles.ts'
import { writeArrivals } from './cameraWriter.ts'

const { values: args } = parseArgs({
  options: { sizes: { type: 'string', default: '0,2000,10000' }, rate: { type: 'string', default: '4' }, seconds: { type: 'string', default: '10' } },
})
const rate = Number(args.rate)
const seconds = Number(args.seconds)
const COIL_IMAGES = 100
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))

/** N small files already in the folder, flat or in coil folders; returns where the new images go. */
function prefill(folder: string, files: number, layout: 'flat' | 'coils'): string {
  for (let i = 0; i < files; i++) {
    const dir = layout === 'flat' ? folder : join(folder, `coil-${String(Math.floor(i / COIL_IMAGES)).padStart(5, '0')}`)
    if (i % COIL_IMAGES === 0) mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, `old-${i}.jpg`), 'x')
  }
  const target = layout === 'flat' ? folder : join(folder, 'coil-new')
  mkdirSync(target, { recursive: true })
  return target
}

async function measure(work: string, files: number, layout: 'flat' | 'coils'): Promise<string> {
  const folder = join(work, `${layout}-${files}`)
  mkdirSync(folder)
  const target = prefill(folder, files, layout)
  let completed = 0
  const listingStarted = performance.now()
  const watcher = watchCompletedFiles(folder, { onComplete: () => completed++, onRemoved: () => {}, onError: (error) => process.stderr.write(`${error.message}\n`) })
  await watcher.ready
  while (completed < files) await sleep(100)
  const listingMs = performance.now() - listingStarted
  await sleep(1500) // the initial files' stability checks are over
  const delay = monitorEventLoopDelay({ resolution: 10 })
  delay.enable()
  const cpuBefore = process.cpuUsage()
  const started = performance.now()
  const bytes = Buffer.alloc(150_000, 1)
  const arrivals = Array.from({ length: Math.ceil(rate * seconds) }, (_, i) => ({ name: `new-${i}.jpg`, bytes }))
  await writeArrivals(target, arrivals, rate, 400)
  const deadline = Date.now() + 30_000
  while (completed < files + arrivals.length && Date.now() < deadline) await sleep(100)
  delay.disable()
  const cpu = process.cpuUsage(cpuBefore)
  const wallMs = performance.now() - started
  await watcher.close()
  rmSync(folder, { recursive: true, force: true })
  const ms = (ns: number) => (ns / 1e6).toFixed(0)
  return `| ${files} | ${layout === 'flat' ? 'flat' : `coil folders of ${COIL_IMAGES}`} | ${(listingMs / 1000).toFixed(1)} s | ${(((cpu.user + cpu.system) / 1000 / wallMs) * 100).toFixed(0)} % | ${ms(delay.percentile(50))} / ${ms(delay.percentile(99))} / ${ms(delay.max)} ms | ${completed - files} of ${arrivals.length} |`
}

const work = mkdtempSync(join(tmpdir(), 'coilscope-bench-folder-size-'))
try {
  const rows = []
  for (const files of args.sizes!.split(',').map(Number)) for (const layout of ['flat', 'coils'] as const) rows.push(await measure(work, files, layout))
  process.stdout.write(
    [
      `| files already there | layout | first listing | watcher CPU (one core) | event loop delay p50 / p99 / max | new images reported |`,
      `|---:|---|---:|---:|---:|---:|`,
      ...rows,
      '',
      `New images at ${rate}/s for ${seconds} s, each written in 4 chunks over 400 ms; the loop delay is sampled every 10 ms (included in it); ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the end.`,
    ].join('\n') + '\n',
  )
} finally {
  rmSync(work, { recursive: true, force: true })
}
