// `coilscope watch` in a child process: its lines as they come, waits on them, and its end.
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'

const BIN = fileURLToPath(new URL('../../bin/coilscope.js', import.meta.url))

export interface WatchProcess {
  readonly child: ChildProcess
  /** stdout lines so far (one per finished or rejected file). */
  readonly lines: string[]
  stderr(): string
  /** Resolves once stderr says the folder is watched. */
  readonly started: Promise<void>
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>
}

export function startWatch(args: readonly string[]): WatchProcess {
  const child = spawn(process.execPath, [BIN, 'watch', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, COILSCOPE_DEBUG: '1' } })
  const lines: string[] = []
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d
    const parts = stdout.split('\n')
    stdout = parts.pop()!
    lines.push(...parts)
  })
  const started = new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d
      if (stderr.includes('Ctrl+C to stop')) resolve()
    })
    child.once('exit', () => reject(new Error(`coilscope watch ended before watching:\n${stderr}`)))
  })
  started.catch(() => {})
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal!)))
  return { child, lines, stderr: () => stderr, started, exited }
}

export async function until(condition: () => boolean, what: string, timeoutMs = 240_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** A count from the database, read as a second process would (0 before the file exists). */
export function countRows(db: string, sql: string): number {
  try {
    const connection = new Database(db, { readonly: true, fileMustExist: true })
    try {
      return (connection.prepare(sql).get() as { n: number }).n
    } finally {
      connection.close()
    }
  } catch {
    return 0
  }
}
