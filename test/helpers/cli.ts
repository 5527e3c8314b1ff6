// Runs the real `coilscope` command in a child process.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const BIN = fileURLToPath(new URL('../../bin/coilscope.js', import.meta.url))

export interface CliRun {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

export function runCli(args: readonly string[], options: { cwd?: string } = {}): CliRun {
  // A bounded wait: a command that never ends fails its test instead of stalling the suite.
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: options.cwd, env: { ...process.env, COILSCOPE_DEBUG: '' }, timeout: 10 * 60_000 })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}
