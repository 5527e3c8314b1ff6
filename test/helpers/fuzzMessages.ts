// Random and mutated WebSocket API messages for the web host's fuzz test: a valid input per method
// (built from a real library's ids) mutated at random, random JSON, and broken frames. Seeded, so a
// failing run can be replayed. Paths are only ever drawn from a sandbox folder: the fuzzer must not
// make the host scan or write anything outside it.
import { API_METHODS, type ApiMethod } from '../../src-shared/api.ts'
import { seededRandom } from '../../src-shared/seededRandom.ts'

export type Rng = () => number

/** Seeded, so a failing run can be replayed. */
export const seededRng: (seed: number) => Rng = seededRandom

export interface LibraryIds {
  readonly sourceId: number
  readonly runId: number
  readonly imageId: number
  /** Folders (existing or not) inside the sandbox. */
  readonly sandboxPaths: readonly string[]
}

/** A valid input for every method (so mutations start close to what the schemas accept). */
export function validInputs(ids: LibraryIds): Record<ApiMethod, unknown> {
  const { sourceId, runId, imageId } = ids
  const profile = { name: 'fuzz', gate: 0.5, upper: [0.7, 0.7, 0.7, 0.7], lower: [0.4, 0.4, 0.4, 0.4], minAreaModelPx: [10, 10, 10, 10] }
  return {
    getAppInfo: undefined,
    pickFolder: undefined,
    openFolder: { path: ids.sandboxPaths[0] },
    listSources: undefined,
    listImages: { sourceId, runId, offset: 0, limit: 50, sort: { key: 'name', isDescending: false }, filter: { statuses: [], classIds: [], gateMin: null, gateMax: null, hasError: null } },
    listRuns: undefined,
    listModelSets: undefined,
    addModelSet: { dir: ids.sandboxPaths[1] },
    checkFit: { sourceId, modelSetDir: ids.sandboxPaths[1] },
    startJob: { sourceId, modelSetDir: ids.sandboxPaths[1], provider: 'cpu' },
    pauseJob: { jobId: 1 },
    resumeJob: { jobId: 1 },
    cancelJob: { jobId: 1 },
    setSourceWatch: { sourceId, isWatched: false, modelSetDir: null, provider: 'cpu' },
    compareRuns: { sourceId, a: String(runId), b: String(runId) },
    getCompareImage: { sourceId, a: String(runId), b: String(runId), imageId },
    decideSourceModelSet: { sourceId, a: String(runId), b: String(runId), note: 'fuzz' },
    listSourceModelDecisions: { sourceId },
    listCoils: { sourceId },
    getCoilMap: { coilId: 1 },
    decideCoil: { coilId: 1, proposed: 'accept', disposition: 'accept', note: 'fuzz' },
    importRuleSet: { json: '{"name":"fuzz","rules":[]}' },
    exportRuleSet: undefined,
    getCoilSettings: { sourceId },
    setCoilSettings: { sourceId, grouping: { kind: 'subfolders' }, geometry: { alongAxis: 'x', mmPerPixelX: 1, mmPerPixelY: 1 } },
    listRuleSets: undefined,
    writeCoilReport: { coilId: 1, out: 'coil.html' },
    listJobs: undefined,
    getSettings: undefined,
    setSettings: { theme: 'dark', authorName: 'fuzz' },
    getReviewImage: { runId, imageId },
    listReviewWindow: { runId, sourceId, order: 'uncertainty', from: 0, limit: 50 },
    locateInReviewQueue: { runId, sourceId, order: 'uncertainty', imageId },
    searchReviewQueue: { runId, sourceId, order: 'uncertainty', match: 'unreviewed', from: 0, limit: 50 },
    listReviewItems: { runId, imageIds: [imageId] },
    listBatchCandidates: { runId, sourceId, match: 'gatedOut', limit: 50 },
    saveMaskEdit: { runId, imageId, classId: 1, baseRevision: 0, beforeRle: '', afterRle: '1 5 100 20', tool: 'brush' },
    revertToModel: { runId, imageId, classId: 1, baseRevision: 0, beforeRle: '1 5 100 20' },
    setReview: { imageId, status: 'flagged', note: 'fuzz' },
    getRunProfile: { runId },
    getReviewRunContext: { runId },
    listProfiles: undefined,
    saveProfile: { profile },
    applyProfile: { runId, name: null },
    getRunMetrics: { runId, sourceId, profile },
    optimiseThresholds: { runId, sourceId, profile },
    forceStage2: { runId, imageId },
    exportRun: { sourceId, runId, what: 'csv', out: 'fuzz.csv' },
    writeReport: { sourceId, runId, out: 'fuzz.html' },
  }
}

const PATH_KEYS = new Set(['path', 'modelSetDir', 'modelsRoot', 'lastModelSetDir', 'recentFolders'])
const ODD_STRINGS = ['', ' ', '\u0000', '\uD800', '../../etc/passwd', '..\\..\\boot.ini', 'a\nb', '%2e%2e%2f', '<script>', '\u202e', 'NaN', '1e309', '𝕮𝖔𝖎𝖑']
const ODD_NUMBERS = [0, -1, 1, 2, 3, 0.5, -0.0, 1e308, -1e308, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, 4096]

function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)]
}

function randomValue(rng: Rng, depth = 0): unknown {
  const kind = Math.floor(rng() * (depth > 3 ? 5 : 8))
  switch (kind) {
    case 0: return null
    case 1: return rng() < 0.5
    case 2: return pick(rng, ODD_NUMBERS)
    case 3: return pick(rng, ODD_STRINGS)
    case 4: return 'x'.repeat(Math.floor(rng() * 5000))
    case 5: return Array.from({ length: Math.floor(rng() * 5) }, () => randomValue(rng, depth + 1))
    case 6: return Object.fromEntries(Array.from({ length: Math.floor(rng() * 4) }, (_, i) => [pick(rng, ['__proto__', 'constructor', 'id', `k${i}`]), randomValue(rng, depth + 1)]))
    default: return deepNest(Math.floor(rng() * 200))
  }
}

function deepNest(depth: number): unknown {
  let value: unknown = 1
  for (let i = 0; i < depth; i++) value = { a: value }
  return value
}

/** One mutation of a value; strings under path keys stay inside the sandbox. */
function mutate(rng: Rng, value: unknown, ids: LibraryIds, key = ''): unknown {
  if (PATH_KEYS.has(key)) return rng() < 0.8 ? pick(rng, ids.sandboxPaths) : pick(rng, ['', 'relative/dir', '\u0000', 'x'.repeat(5000)])
  if (Array.isArray(value)) {
    if (value.length === 0 || rng() < 0.3) return rng() < 0.5 ? [...value, randomValue(rng)] : []
    const copy = [...value]
    const at = Math.floor(rng() * copy.length)
    copy[at] = mutate(rng, copy[at], ids)
    return copy
  }
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) }
    const keys = Object.keys(copy)
    const action = rng()
    if (action < 0.15 && keys.length > 0) delete copy[pick(rng, keys)]
    else if (action < 0.25) copy[pick(rng, ['extra', '__proto__', 'constructor', 'then'])] = randomValue(rng)
    else if (keys.length > 0) {
      const chosen = pick(rng, keys)
      copy[chosen] = mutate(rng, copy[chosen], ids, chosen)
    }
    return copy
  }
  if (typeof value === 'number') return rng() < 0.7 ? pick(rng, ODD_NUMBERS) : randomValue(rng)
  if (typeof value === 'string') {
    const choice = rng()
    if (choice < 0.3) return pick(rng, ODD_STRINGS)
    if (choice < 0.5) return value.slice(0, Math.floor(rng() * value.length))
    if (choice < 0.6) return value.repeat(1 + Math.floor(rng() * 50))
    if (choice < 0.8) return `${value} ${Math.floor(rng() * 1e6)} ${Math.floor(rng() * 100)}` // RLE-like
    return randomValue(rng)
  }
  return randomValue(rng)
}

export type Frame = { readonly kind: 'call'; readonly text: string; readonly method: string } | { readonly kind: 'broken'; readonly data: string | Buffer; readonly binary: boolean; readonly what: string }

/** The n-th frame: every method in turn, most inputs mutated (1–3 times), some frames broken. */
export function nextFrame(rng: Rng, n: number, id: number, valid: Record<ApiMethod, unknown>, ids: LibraryIds): Frame {
  const roll = rng()
  if (roll < 0.03) return { kind: 'broken', data: pick(rng, ['{', 'null', '[]', '{"id":"1"}', '{"method":"listSources"}', 'x'.repeat(1000)]), binary: false, what: 'not a call' }
  if (roll < 0.05) return { kind: 'broken', data: Buffer.from(JSON.stringify({ id, method: 'listSources' })), binary: true, what: 'binary frame' }
  if (roll < 0.07) return { kind: 'broken', data: Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), binary: false, what: 'invalid UTF-8' }
  const method = rng() < 0.7 ? API_METHODS[n % API_METHODS.length] : rng() < 0.9 ? pick(rng, API_METHODS) : pick(rng, ['', 'constructor', '__proto__', 'toString', 'close', 'listSource'])
  let input = (valid as Record<string, unknown>)[method]
  const mutations = rng() < 0.2 ? 0 : 1 + Math.floor(rng() * 3)
  for (let i = 0; i < mutations; i++) input = mutate(rng, input, ids)
  return { kind: 'call', method, text: JSON.stringify({ id, method, input }) }
}
