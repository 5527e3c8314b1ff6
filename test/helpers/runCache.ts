// Expensive fixtures made once per test run and shared by the test files, which the runner starts
// as separate processes: each fixture is built once, under a lock, in a folder named for the
// runner (its pid and start time, so a later runner never sees an earlier run's data), and read by
// every file after. Users copy what they change. Folders of runners that have exited are swept.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

const PREFIX = 'coilscope-test-run-'
const READY = '.ready'

/** The folder holding `name` once `build` has filled it; `build` runs at most once per test run. */
export async function oncePerRun(name: string, build: (dir: string) => Promise<void>): Promise<string> {
  const root = runFolder()
  const dir = join(root, name)
  const lock = join(root, `${name}.lock`)
  for (;;) {
    if (existsSync(join(dir, READY))) return dir
    if (takeLock(lock)) break
    const owner = lockOwner(lock)
    if (owner !== null && !isAlive(owner)) throw new Error(`the test process (pid ${owner}) building the shared fixture ${dir} died: run the tests again`)
    await sleep(100)
  }
  try {
    if (existsSync(join(dir, READY))) return dir
    rmSync(dir, { recursive: true, force: true }) // what a failed build left
    mkdirSync(dir)
    await build(dir)
    writeFileSync(join(dir, READY), '')
    return dir
  } finally {
    rmSync(lock, { force: true })
  }
}

/** This run's folder: the runner's when files run as its child processes, else this process's own. */
function runFolder(): string {
  const isChildOfRunner = process.env.NODE_TEST_CONTEXT?.startsWith('child') === true
  const owner = isChildOfRunner ? process.ppid : process.pid
  const started = startTime(owner)
  if (started === null) return mkdtempSync(join(tmpdir(), 'coilscope-test-')) // no /proc: nothing shared
  const root = join(tmpdir(), `${PREFIX}${owner}-${started}`)
  if (!existsSync(root)) {
    sweepExitedRuns()
    mkdirSync(root, { recursive: true })
  }
  return root
}

/** A process's start time in clock ticks since boot (Linux), or null where /proc does not say. */
function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null
  } catch {
    return null
  }
}

function sweepExitedRuns(): void {
  for (const entry of readdirSync(tmpdir())) {
    const match = new RegExp(`^${PREFIX}(\\d+)-(\\d+)$`).exec(entry)
    if (match && startTime(Number(match[1])) !== match[2]) rmSync(join(tmpdir(), entry), { recursive: true, force: true })
  }
}

function takeLock(lock: string): boolean {
  try {
    writeFileSync(lock, String(process.pid), { flag: 'wx' })
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
}

/** The pid in the lock; null while it is being written or once it is gone. */
function lockOwner(lock: string): number | null {
  try {
    return Number(readFileSync(lock, 'utf8')) || null
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
