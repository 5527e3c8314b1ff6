// What the report says about the model set beyond the store's record: what it was trained on (its
// manifest's provenance) and whether the source's images look like its training images. The set's
// folder is found by its manifest's sha256 among the model-set folders given.
import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { FitReport } from '../../src-shared/imageFit.ts'
import { folderFit } from '../fit/folderFit.ts'
import { readManifest } from '../inference/manifestFile.ts' // not index.ts: main never loads onnxruntime

export interface ModelSetContext {
  /** The manifest's provenance, or null when the set's folder or its provenance is not found. */
  readonly trainedOn: string | null
  readonly synthetic: boolean
  /** The source's fit to the set's training images; null without a fingerprint (or folder). */
  readonly fit: FitReport | null
}

export async function modelSetContext(manifestSha256: string, sourceFolder: string, roots: readonly string[]): Promise<ModelSetContext> {
  for (const dir of await candidateSets(roots)) {
    const found = await readManifest(dir).catch(() => null)
    if (found?.sha256 !== manifestSha256) continue
    const fit = existsSync(sourceFolder) ? await folderFit(dir, sourceFolder).catch(() => null) : null
    return { trainedOn: found.manifest.provenance?.trainedOn ?? null, synthetic: found.manifest.provenance?.synthetic ?? false, fit }
  }
  return { trainedOn: null, synthetic: false, fit: null }
}

/** A root that is a set's own folder, or the set folders inside it (read, not validated: cheap). */
export async function candidateSets(roots: readonly string[]): Promise<string[]> {
  const dirs: string[] = []
  for (const root of roots) {
    if (existsSync(join(root, 'manifest.json'))) dirs.push(root)
    const entries = await readdir(root, { withFileTypes: true }).catch(() => [])
    for (const entry of entries) if (entry.isDirectory() && existsSync(join(root, entry.name, 'manifest.json'))) dirs.push(join(root, entry.name))
  }
  return dirs
}
