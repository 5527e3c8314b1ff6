// Who holds a job row, and whether that holder is still there. A holder is one queue in one
// process; it stamps a heartbeat on its rows while it lives. On the same host a dead pid means gone
// at once (a kill -9 is seen on the next open); otherwise, or if the pid was reused, a heartbeat
// older than STALE_MS does.
import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import type { JobOwner, JobRecord } from '../store/index.ts'

export const HEARTBEAT_MS = 2000
export const STALE_MS = 15_000

export function newOwner(): JobOwner {
  return { pid: process.pid, host: hostname(), token: randomUUID() }
}

export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists, it is someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Pure: is the holder of this active job gone? */
export function isOwnerGone(job: JobRecord, nowMs: number, host: string, pidAlive: (pid: number) => boolean): boolean {
  if (!job.owner || job.heartbeatAtMs === null) return true
  if (nowMs - job.heartbeatAtMs > STALE_MS) return true
  return job.owner.host === host && !pidAlive(job.owner.pid)
}
