// What the library benchmarks (scale.ts, coils.ts) share: the project's paths, a log line to stderr
// under the bench's name, the median, the CLI run as a child process, and the real inspection every
// grown library starts from (made once and cached; the scale bench's copy serves every bench).
import { spawn } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const BIN = join(ROOT, 'bin/coilscope.js')
const SCALE_BASE = join(ROOT, '.cache/bench-scale/base.db')

export type Log = (line: string) => void

/** `bench:<name>: <line>` on stderr, so stdout carries only the results. */
export function benchLog(name: string): Log {
  return (line) => process.stderr.write(`bench:${name}: ${line}\n`)
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Runs `node <argv>` (argv[0] is the script), its stderr shown; rejects on a non-zero exit. */
export function run(argv: readonly string[]): Promise<void> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'ignore', 'inherit'] })
    child.on('exit', (code) => (code === 0 ? done() : reject(new Error(`${argv.slice(1, 3).join(' ')} exited ${code}`))))
  })
}

/** A few real synthetic images inspected once with models/default: the scale bench's copy if made, else `cache`'s. */
export async function baseInspection(cache: string, log: Log): Promise<string> {
  if (existsSync(SCALE_BASE)) return SCALE_BASE
  const db = join(cache, 'base.db')
  if (existsSync(db)) return db
  const folder = join(cache, 'base-images')
  rmSync(folder, { recursive: true, force: true })
  log('inspecting the base images with models/default…')
  await run([BIN, 'synth', folder, '--count', '24', '--seed', '7', '--defect-rate', '0.5'])
  await run([BIN, 'inspect', folder, '--db', db, '--out', join(cache, 'base.csv'), '--provider', 'cpu'])
  return db
}
