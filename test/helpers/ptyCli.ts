// Runs the real `coilscope` command on a pseudo-terminal (util-linux `script`), so that it sees a
// TTY on stdin and stdout, and drives it with real keystrokes: wait for a prompt, then type.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const BIN = fileURLToPath(new URL('../../bin/coilscope.js', import.meta.url))
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`
// Colours, cursor moves and line erases: what a terminal would interpret.
const ESCAPES = /\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r/g

export const KEYS = { enter: '\r', up: '\x1b[A', down: '\x1b[B', backspace: '\x7f' } as const

export class PtyCli {
  private readonly child: ChildProcessWithoutNullStreams
  private raw = ''
  /** Where the next expect() starts reading. */
  private seen = 0
  readonly exited: Promise<number | null>

  constructor(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
    const command = [process.execPath, BIN, ...args].map(quote).join(' ')
    const base: NodeJS.ProcessEnv = { ...process.env, COILSCOPE_DEBUG: '', COLUMNS: '200' }
    delete base.CI
    this.child = spawn('script', ['-qfec', `stty cols 200 rows 50; exec ${command}`, '/dev/null'], { env: { ...base, ...env } })
    this.child.stdout.on('data', (chunk: Buffer) => (this.raw += chunk.toString('utf8')))
    this.child.stderr.on('data', (chunk: Buffer) => (this.raw += chunk.toString('utf8')))
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)))
  }

  /** The screen's text so far, without escapes. */
  get text(): string {
    return this.raw.replace(ESCAPES, '')
  }

  /** Waits for `pattern` after the last match; fails with the transcript after `timeoutMs`. */
  async expect(pattern: RegExp, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const rest = this.text.slice(this.seen)
      const match = pattern.exec(rest)
      if (match) {
        this.seen += match.index + match[0].length
        return
      }
      if (Date.now() > deadline || this.child.exitCode !== null) throw new Error(`no ${pattern} on the terminal; it shows:\n${rest}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  type(keys: string): void {
    this.child.stdin.write(keys)
  }

  /** Waits for a prompt, then answers it. */
  async answer(prompt: RegExp, keys: string): Promise<void> {
    await this.expect(prompt)
    this.type(keys)
  }

  kill(): void {
    this.child.kill()
  }
}
