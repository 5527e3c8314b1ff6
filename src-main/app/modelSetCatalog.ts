// The model sets under a models root, each with its validation status. The full check (schema,
// member hashes, every member's real ONNX signature) opens the models, so it runs in a short-lived
// inference process, never in main; results are cached until a file of the set changes.
import { readdir, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { describeQuantization } from '../../src-shared/quantizationText.ts'
import { resolveMembers } from '../../src-shared/formulation.ts'
import { parseManifest, type ModelManifest } from '../../src-shared/manifest.ts'
import { describeModel } from '../inference/onnxGraph.ts'
import { formatSignatureTable, type SignatureRow } from '../inference/signatureTable.ts'
import type { ModelSetInfo } from '../../src-shared/apiTypes.ts'
import { readRegularFile } from '../files/readRegularFile.ts'
import { InferenceClient, type WorkerPort } from '../worker/index.ts'
import { parsePartialName } from '../quantize/partialFolders.ts'

interface Cached {
  readonly fingerprint: string
  readonly info: ModelSetInfo
}

export class ModelSetCatalog {
  readonly #spawnWorker: () => WorkerPort
  readonly #cache = new Map<string, Cached>()
  /** One check at a time: each opens every model of a set. */
  #checking: Promise<unknown> = Promise.resolve()

  constructor(spawnWorker: () => WorkerPort) {
    this.#spawnWorker = spawnWorker
  }

  /** One model-set folder, validated; null when it holds no manifest.json. */
  async checkDir(dir: string): Promise<ModelSetInfo | null> {
    return this.#check(resolve(dir))
  }

  /** Every folder of `root` that holds a manifest.json, sorted by path. */
  async list(root: string): Promise<ModelSetInfo[]> {
    let entries
    try {
      entries = await readdir(resolve(root), { withFileTypes: true })
    } catch {
      return []
    }
    // A quantize's unfinished folder is not a set, even once its manifest is written.
    const dirs = entries.filter((e) => e.isDirectory() && !parsePartialName(e.name)).map((e) => join(resolve(root), e.name)).sort()
    const sets: ModelSetInfo[] = []
    for (const dir of dirs) {
      const info = await this.#check(dir)
      if (info) sets.push(info)
    }
    return sets
  }

  async #check(dir: string): Promise<ModelSetInfo | null> {
    const text = await readRegularFile(join(dir, 'manifest.json')).then((b) => b.toString('utf8'), () => null)
    if (text === null) return null
    const parsed = parseManifest(text, join(dir, 'manifest.json'))
    if (!parsed.ok) return invalid(dir, null, parsed.errors, '')
    const fingerprint = await fingerprintOf(dir, text, parsed.manifest)
    const cached = this.#cache.get(dir)
    if (cached?.fingerprint === fingerprint) return cached.info
    const check = this.#checking.then(() => this.#validateInWorker(dir, parsed.manifest))
    this.#checking = check.catch(() => undefined)
    const info = await check
    this.#cache.set(dir, { fingerprint, info })
    return info
  }

  async #validateInWorker(dir: string, manifest: ModelManifest): Promise<ModelSetInfo> {
    const client = new InferenceClient(this.#spawnWorker, { modelsDir: dir, provider: 'cpu', threads: 1 })
    try {
      const signature = await signatureOf(dir, manifest)
      try {
        await client.start()
      } catch (error) {
        return invalid(dir, manifest, (error as Error).message.split('\n'), signature)
      }
      return describe(dir, manifest, true, [], signature)
    } finally {
      client.close()
    }
  }
}

function invalid(dir: string, manifest: ModelManifest | null, problems: readonly string[], signature: string): ModelSetInfo {
  return describe(dir, manifest, false, problems, signature)
}

/** The signature table of the members that can be read (the others are named in the problems). */
async function signatureOf(dir: string, manifest: ModelManifest): Promise<string> {
  const rows: SignatureRow[] = []
  for (const stage of ['classifier', 'segmenter'] as const) {
    for (const formulation of resolveMembers(manifest, stage)) {
      const bytes = await readRegularFile(join(dir, formulation.file)).catch(() => null)
      if (!bytes) continue
      try {
        rows.push({ stage, file: formulation.file, description: describeModel(bytes), formulation })
      } catch {
        // Not a readable model: the validation says so.
      }
    }
  }
  return rows.length > 0 ? formatSignatureTable(rows) : ''
}

function describe(dir: string, manifest: ModelManifest | null, isValid: boolean, problems: readonly string[], signature: string): ModelSetInfo {
  return {
    dir,
    isValid,
    id: manifest?.id ?? null,
    version: manifest?.version ?? null,
    name: manifest?.name ?? null,
    description: manifest?.description ?? '',
    classes: manifest?.classes ?? [],
    classifiers: manifest?.classifier?.members.map((m) => m.file) ?? [],
    segmenters: manifest?.segmenter.members.map((m) => m.file) ?? [],
    problems,
    trainedOn: manifest?.provenance?.trainedOn ?? null,
    unconfirmed: manifest?.unconfirmed ?? [],
    signature,
    ...(manifest?.quantization ? { quantization: describeQuantization(manifest.quantization) } : {}),
  }
}

/** The manifest text and each member's size and mtime: any change to the set changes it. */
async function fingerprintOf(dir: string, manifestText: string, manifest: ModelManifest): Promise<string> {
  const files = [...(manifest.classifier?.members ?? []), ...manifest.segmenter.members].map((m) => m.file)
  const stats = await Promise.all(
    files.map((file) =>
      stat(join(dir, file)).then(
        (s) => `${file}:${s.size}:${s.mtimeMs}`,
        () => `${file}:missing`,
      ),
    ),
  )
  return JSON.stringify([manifestText, stats])
}
