// `coilscope models init <folder>`: reads every .onnx in the folder, prints each member's real
// signature and what was inferred, and writes a manifest.json draft whose guesses are listed in
// `unconfirmed`. On a terminal (not CI, not --yes) it asks the user to confirm or correct each
// guess first; elsewhere it asks nothing. An existing manifest is kept unless --force.
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { parseManifest } from '../../src-shared/manifest.ts'
import { draftManifest, DraftError, type Confirmation, type DraftMember } from '../inference/draftManifest.ts'
import { describeModel } from '../inference/onnxGraph.ts'
import { formatSignatureTable } from '../inference/signatureTable.ts'
import { isDirectory } from './options.ts'
import { UsageError } from './usageError.ts'

export interface InitOptions {
  readonly id?: string
  readonly force: boolean
  /** Asks the user about each guess (a terminal) before writing. */
  readonly ask?: (members: readonly DraftMember[]) => Promise<Confirmation>
  /** Where the transcript goes, as it happens (the questions come between its parts). */
  readonly write: (text: string) => void
}

/** Writes the draft; returns its path. */
export async function initModelSet(folder: string, options: InitOptions): Promise<string> {
  const dir = resolve(folder)
  if (!isDirectory(dir)) throw new UsageError(`${dir}: no such folder`)
  const target = join(dir, 'manifest.json')
  if (existsSync(target) && !options.force) throw new UsageError(`${target} exists; it is kept (run with --force to replace it with a draft)`)
  const files = (await readdir(dir)).filter((f) => f.toLowerCase().endsWith('.onnx')).sort()
  const members: DraftMember[] = []
  for (const file of files) {
    const bytes = await readFile(join(dir, file))
    try {
      members.push({ file, sha256: createHash('sha256').update(bytes).digest('hex'), description: describeModel(bytes) })
    } catch (error) {
      throw new UsageError(`${join(dir, file)}: not a readable ONNX model (${(error as Error).message})`)
    }
  }
  const id = options.id ?? (basename(dir).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '') || 'model-set')
  const draftOf = (confirmed?: Confirmation) => {
    try {
      return draftManifest(id, members, confirmed)
    } catch (error) {
      if (error instanceof DraftError) throw new UsageError(`${dir}: ${error.message}`)
      throw error
    }
  }
  const guessed = draftOf()
  const stages = new Map(members.map((m) => [m.file, m.description.outputs.some((o) => o.shape.length === 4) ? ('segmenter' as const) : ('classifier' as const)]))
  options.write(
    [
      formatSignatureTable(members.map((m) => ({ stage: stages.get(m.file)!, file: m.file, description: m.description }))).trimEnd(),
      '',
      'Inferred:',
      ...guessed.notes.map((n) => `  ${n}`),
      '',
    ].join('\n'),
  )
  const draft = options.ask ? draftOf(await options.ask(members)) : guessed
  const text = `${JSON.stringify(draft.manifest, null, 2)}\n`
  // The draft must validate as it is: a guess is marked, never left invalid.
  const checked = parseManifest(text, target)
  if (!checked.ok) throw new Error(`the draft does not validate (a bug): ${checked.errors.join('; ')}`)
  await writeFile(target, text)
  const unconfirmed = (draft.manifest.unconfirmed as string[] | undefined) ?? []
  options.write(
    `\nWrote ${target}\n` +
      (unconfirmed.length > 0 ? `Unconfirmed (guessed; check each, then remove it from "unconfirmed"): ${unconfirmed.join(', ')}\n` : 'Every guess confirmed.\n'),
  )
  return target
}
