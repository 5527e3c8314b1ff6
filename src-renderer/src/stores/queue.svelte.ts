// The job queue as the Library shows it, kept current by the queue and progress events.
import type { CoilscopeApi, JobView, ProviderChoice } from '../../../src-shared/api.ts'
import { isFinishedState } from '../../../src-shared/apiTypes.ts'

export class QueueState {
  jobs = $state.raw<JobView[]>([])
  /** Newest first, unfinished before finished. */
  readonly ordered = $derived([...this.jobs].sort((a, b) => Number(isFinishedState(a.state)) - Number(isFinishedState(b.state)) || b.id - a.id))

  readonly #api: CoilscopeApi

  constructor(api: CoilscopeApi) {
    this.#api = api
    api.onQueueChanged((jobs) => (this.jobs = [...jobs]))
    api.onJobProgress((job) => (this.jobs = this.jobs.some((j) => j.id === job.id) ? this.jobs.map((j) => (j.id === job.id ? job : j)) : [...this.jobs, job]))
  }

  async refresh(): Promise<void> {
    this.jobs = await this.#api.listJobs()
  }

  activeFor(sourceId: number | null): JobView | null {
    return this.jobs.find((j) => j.sourceId === sourceId && !isFinishedState(j.state)) ?? null
  }

  start(sourceId: number, modelSetDir: string, provider: ProviderChoice): Promise<JobView> {
    return this.#api.startJob({ sourceId, modelSetDir, provider })
  }

  pause(jobId: number): Promise<JobView> {
    return this.#api.pauseJob({ jobId })
  }

  resume(jobId: number): Promise<JobView> {
    return this.#api.resumeJob({ jobId })
  }

  cancel(jobId: number): Promise<JobView> {
    return this.#api.cancelJob({ jobId })
  }
}
