// Peak memory of a process and all its descendants (Linux /proc): every process's own peak
// resident set (VmHWM, kept by the kernel, so no spike is missed between samples) is summed over
// the tree — an upper bound of the tree's peak, and a close one when, as here, main and the
// inference process hold their memory through the whole run. The sampled sum of current RSS is
// kept beside it.
import { readdirSync, readFileSync } from 'node:fs'

export interface TreeMemory {
  /** Σ over every process seen of its peak RSS, in bytes. */
  readonly peakRssSumBytes: number
  /** The largest Σ of current RSS seen in one sample, in bytes. */
  readonly sampledRssBytes: number
  readonly processes: number
}

export class TreeSampler {
  readonly #root: number
  readonly #peaks = new Map<number, number>()
  #sampled = 0
  #timer: NodeJS.Timeout | null = null

  constructor(root: number, intervalMs = 100) {
    this.#root = root
    this.sample()
    this.#timer = setInterval(() => this.sample(), intervalMs)
  }

  sample(): void {
    let sum = 0
    for (const pid of descendants(this.#root)) {
      const status = readStatus(pid)
      if (!status) continue
      sum += status.rss
      this.#peaks.set(pid, Math.max(this.#peaks.get(pid) ?? 0, status.hwm))
    }
    this.#sampled = Math.max(this.#sampled, sum)
  }

  stop(): TreeMemory {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = null
    let peak = 0
    for (const bytes of this.#peaks.values()) peak += bytes
    return { peakRssSumBytes: peak, sampledRssBytes: this.#sampled, processes: this.#peaks.size }
  }
}

/** The process and its descendants (threads' children included). */
function descendants(root: number): number[] {
  const found = [root]
  for (let i = 0; i < found.length; i++) {
    let tasks: string[]
    try {
      tasks = readdirSync(`/proc/${found[i]}/task`)
    } catch {
      continue
    }
    for (const task of tasks) {
      try {
        for (const child of readFileSync(`/proc/${found[i]}/task/${task}/children`, 'utf8').trim().split(/\s+/)) {
          if (child) found.push(Number(child))
        }
      } catch {
        // The task ended while we looked.
      }
    }
  }
  return found
}

function readStatus(pid: number): { rss: number; hwm: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') }
  } catch {
    return null
  }
}
