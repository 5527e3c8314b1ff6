// Starts a built Electron main (out/main/main.js, from the repository or a package) under plain
// Node with the stand-in `electron`, drives it as the window would — load the page, call the API
// over IPC, open a folder, run a job, fetch a coil image — and prints what it saw as one JSON line.
// Usage: node desktopDriver.ts <main.js> <images folder> [--packaged <resources folder>]
import { pathToFileURL } from 'node:url'
import { useFakeElectron } from './fakeElectron.ts'

const [mainJs, imagesDir, flag, resourcesDir] = process.argv.slice(2)
useFakeElectron()
const electron = await import('./fakeElectron.ts')
if (flag === '--packaged') {
  electron.app.isPackaged = true
  Object.defineProperty(process, 'resourcesPath', { value: resourcesDir })
}

const { started } = await import(pathToFileURL(mainJs).href)
await started
const [window] = electron.recorded.windows
const contents = window.webContents
const call = async (method: string, input?: unknown) => {
  const result = await contents.invoke(`coilscope:${method}`, input)
  if (!result.ok) throw new Error(`${method}: ${result.error}`)
  return result.value
}
const summary = (fetched: { url: string; status: number; headers: Record<string, string>; body: Buffer } | null) =>
  fetched && { url: fetched.url, status: fetched.status, contentType: fetched.headers['content-type'] ?? null, csp: fetched.headers['content-security-policy'] ?? null, bytes: fetched.body.length, text: /^text\//.test(fetched.headers['content-type'] ?? '') ? fetched.body.subarray(0, 200).toString('utf8') : null }

const report: Record<string, unknown> = { document: summary(contents.document), assets: contents.assets.map(summary) }
try {
  report.appInfo = await call('getAppInfo')
  const source = await call('openFolder', { path: imagesDir })
  const sets = await call('listModelSets')
  report.modelSets = sets.map((s: { dir: string; isValid: boolean; problems: string[] }) => ({ dir: s.dir, isValid: s.isValid, problems: s.problems }))
  const set = sets.find((s: { isValid: boolean }) => s.isValid)
  if (!set) throw new Error('no valid model set')
  let job = await call('startJob', { sourceId: source.id, modelSetDir: set.dir, provider: 'cpu' })
  const deadline = Date.now() + 120_000
  while (!['done', 'failed', 'cancelled'].includes(job.state) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    job = (await call('listJobs')).find((j: { id: number }) => j.id === job.id)
  }
  report.job = { state: job.state, progress: job.progress, providerUsed: job.providerUsed, message: job.message }
  report.forks = electron.recorded.forks.map((f) => f.modulePath)
  report.imageEvents = contents.sent.filter((s) => s.channel === 'coilscope:event:imageFinished').length
  const page = await call('listImages', { sourceId: source.id, runId: null, offset: 0, limit: 10, sort: { key: 'name', isDescending: false }, filter: { statuses: [], classIds: [], gateMin: null, gateMax: null, hasError: null } })
  report.images = page.rows.map((row: { id: number; status: string; predictionId: number | null }) => ({ id: row.id, status: row.status, predictionId: row.predictionId }))
  const first = page.rows[0]
  report.coilImage = summary(await electron.fetchThroughProtocol(`coil://image/${first.id}`))
  report.coilThumb = summary(await electron.fetchThroughProtocol(`coil://thumb/${first.id}`))
  report.coilMissing = summary(await electron.fetchThroughProtocol('coil://image/999999'))
} catch (error) {
  report.error = (error as Error).message
}
// Native libraries this (main) process has loaded: onnxruntime belongs to the inference process only.
const sharedObjects = (process.report.getReport() as unknown as { sharedObjects: string[] }).sharedObjects
report.mainLoadedOnnxruntime = sharedObjects.filter((path) => /onnxruntime/i.test(path))
report.mainNativeModules = sharedObjects.filter((path) => /[\\/]node_modules[\\/]/.test(path))
for (const listener of electron.recorded.appListeners.get('will-quit') ?? []) listener()
process.stdout.write(`${JSON.stringify(report)}\n`)
process.exit(0)
