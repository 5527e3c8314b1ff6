// `coilscope models`: lists the model sets under models/ (or --root, which may be a set's own
// folder) with their validation status; `models <set> --show` prints a set's signature table;
// `models init <folder>` drafts a manifest. Validation is complete: manifest schema, member hashes,
// and every member's real ONNX signature. A listing clears what killed quantizes left in the root.
import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import type { Command } from 'commander'
import { loadModelSet } from '../inference/index.ts'
import type { CommandResult } from './commandResult.ts'
import { FINGERPRINT_FILE, folderFit, writeFingerprint } from '../fit/folderFit.ts'
import { askConfirmation } from './initQuestions.ts'
import { initModelSet } from './modelsInit.ts'
import { registerQuantize } from './quantizeCommand.ts'
import { describeRemovedPartial, parsePartialName, removeStalePartials } from '../quantize/partialFolders.ts'
import { describeQuantization } from '../../src-shared/quantizationText.ts'
import type { Quantization } from '../../src-shared/quantizationSchema.ts'
import { isDirectory, MODELS_ROOT } from './options.ts'
import { formatSignatureTable, type SignatureRow } from '../inference/signatureTable.ts'
import { UsageError } from './usageError.ts'

export interface ModelSetStatus {
  dir: string
  valid: boolean
  id?: string
  version?: string
  name?: string
  classes?: string[]
  classifiers?: string[]
  segmenters?: string[]
  /** Keys `models init` guessed that nobody has confirmed yet. */
  unconfirmed?: string[]
  /** What the set was trained on, as its manifest says. */
  provenance?: string
  /** Each member's real signature and how the manifest maps it (valid sets). */
  signatures?: SignatureRow[]
  /** An int8 set's origin, method and measured parity. */
  quantization?: Quantization
  problems: string[]
}

export function registerModels(program: Command, result: CommandResult): void {
  const models = program
    .command('models')
    .description('list the model sets found and whether each is valid; with a set, show its signature table')
    .argument('[set]', 'a model set: its folder, or its id or folder name under --root')
    .option('--root <dir>', 'folder holding model-set folders (or one set\'s own folder)', MODELS_ROOT)
    .option('--show', 'print the set\'s signature table: each member\'s real inputs and outputs and how the manifest maps them', false)
    .option('--json', 'print the list as JSON on stdout', false)
    .action(async (set: string | undefined, options: { root: string; json: boolean; show: boolean }) => {
      const root = resolve(options.root)
      if (!isDirectory(root)) throw new UsageError(`${root}: no such folder`)
      if (!set) for (const removed of await removeStalePartials(root)) process.stderr.write(`${describeRemovedPartial(removed)}\n`)
      const statuses = set ? [await checkModelSet(await findSet(root, set))] : await listModelSets(root)
      if (options.json) process.stdout.write(`${JSON.stringify(statuses.map(withoutSignatures(options.show)), null, 2)}\n`)
      else process.stdout.write(formatStatuses(root, statuses, options.show || set !== undefined))
      result.exitCode = set && !statuses[0].valid ? 2 : 0
    })
  models
    .command('init')
    .description('read every .onnx in a folder and write a manifest.json draft, its guesses marked unconfirmed')
    .argument('<folder>', 'the folder holding the .onnx files')
    .option('--id <id>', 'the set\'s id (default: from the folder name)')
    .option('--force', 'replace an existing manifest.json', false)
    .option('--yes', 'on a terminal too, ask nothing: write the guesses, marked unconfirmed', false)
    .action(async (folder: string, options: { id?: string; force: boolean; yes: boolean }) => {
      // Questions only where someone can answer them: a terminal, not CI.
      const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY) && !process.env.CI && !options.yes
      const write = (text: string) => process.stdout.write(text)
      try {
        const target = await initModelSet(folder, { ...options, write, ...(interactive ? { ask: askConfirmation } : {}) })
        if (interactive) write(formatStatuses(dirname(target), [await checkModelSet(dirname(target))], false))
      } catch (error) {
        if ((error as Error).name === 'ExitPromptError') throw new UsageError(`${resolve(folder)}: cancelled; nothing written`)
        throw error
      }
      result.exitCode = 0
    })
  registerFit(models, result)
  registerQuantize(models, result, async (name) => findSet(resolve(models.opts().root ?? MODELS_ROOT), name))
}

function registerFit(models: Command, result: CommandResult): void {
  models
    .command('fingerprint')
    .description(`summarise a set's training images (brightness, contrast, texture) into its ${FINGERPRINT_FILE}, for the fit check`)
    .argument('<set>', 'the model set: its folder, or its id or folder name under --root')
    .requiredOption('--images <folder>', 'a folder of the images the set was trained on (or like them)')
    .option('--source <words>', 'how the images were obtained, in words', '')
    .option('--limit <n>', 'images to sample from the folder', '400')
    .option('--root <dir>', 'folder holding model-set folders', MODELS_ROOT)
    .action(async (set: string, options: { images: string; source: string; limit: string; root: string }) => {
      const dir = await findSet(resolve(options.root), set)
      const images = resolve(options.images)
      if (!isDirectory(images)) throw new UsageError(`${images}: no such folder`)
      const fingerprint = await writeFingerprint(dir, images, options.source || images, Number(options.limit))
      process.stdout.write(`wrote ${join(dir, FINGERPRINT_FILE)} from ${fingerprint.images} images\n`)
      result.exitCode = 0
    })
  models
    .command('fit')
    .description('say whether a folder of images looks like the images a set was trained on')
    .argument('<set>', 'the model set: its folder, or its id or folder name under --root')
    .argument('<folder>', 'the images to check')
    .option('--root <dir>', 'folder holding model-set folders', MODELS_ROOT)
    .option('--json', 'print the verdict as JSON', false)
    .action(async (set: string, folder: string, options: { root: string; json: boolean }, command: Command) => {
      // `models` has its own --json (and --root), which commander gives to it wherever they stand.
      const json = options.json || Boolean(command.parent?.opts().json)
      const dir = await findSet(resolve(options.root), set)
      const images = resolve(folder)
      if (!isDirectory(images)) throw new UsageError(`${images}: no such folder`)
      const fit = await folderFit(dir, images)
      if (!fit) throw new UsageError(`${dir}: no ${FINGERPRINT_FILE}; write one with \`coilscope models fingerprint\``)
      process.stdout.write(json ? `${JSON.stringify(fit, null, 2)}\n` : `${fit.message}\n`)
      result.exitCode = 0
    })
}

/** A set named by its folder, or by its folder name or id under the root. */
async function findSet(root: string, name: string): Promise<string> {
  for (const dir of [resolve(name), join(root, name)]) if (existsSync(join(dir, 'manifest.json'))) return dir
  const byId = (await listModelSets(root)).find((s) => s.id === name)
  if (byId) return byId.dir
  throw new UsageError(`${name}: no model set by that folder or id (looked in ${root})`)
}

function withoutSignatures(keep: boolean): (s: ModelSetStatus) => unknown {
  return (s) => (keep ? s : { ...s, signatures: undefined })
}

export async function listModelSets(root: string): Promise<ModelSetStatus[]> {
  // A set's own folder lists that set.
  if (existsSync(join(root, 'manifest.json'))) return [await checkModelSet(root)]
  // A quantize's unfinished folder is not a set, even once its manifest is written.
  const dirs = (await readdir(root, { withFileTypes: true }))
    .filter((d) => d.isDirectory() && !parsePartialName(d.name))
    .map((d) => join(root, d.name))
    .sort()
  const statuses: ModelSetStatus[] = []
  for (const dir of dirs) {
    if (!(await readdir(dir)).includes('manifest.json')) continue
    statuses.push(await checkModelSet(dir))
  }
  return statuses
}

async function checkModelSet(dir: string): Promise<ModelSetStatus> {
  try {
    const set = await loadModelSet(dir, { provider: 'cpu', threads: 1 })
    await set.release()
    const { manifest } = set
    return {
      dir,
      valid: true,
      id: manifest.id,
      version: manifest.version,
      name: manifest.name,
      classes: manifest.classes.map((c) => c.name),
      classifiers: manifest.classifier?.members.map((m) => m.file) ?? [],
      segmenters: manifest.segmenter.members.map((m) => m.file),
      unconfirmed: manifest.unconfirmed ?? [],
      provenance: manifest.provenance?.trainedOn,
      quantization: manifest.quantization,
      signatures: (['classifier', 'segmenter'] as const).flatMap((stage) =>
        set.formulations[stage].map((formulation) => ({ stage, file: formulation.file, description: set.descriptions[formulation.file], formulation })),
      ),
      problems: [],
    }
  } catch (error) {
    return { dir, valid: false, problems: (error as Error).message.split('\n') }
  }
}

function formatStatuses(root: string, statuses: ModelSetStatus[], show: boolean): string {
  if (statuses.length === 0) return `No model sets in ${root}\n`
  const lines: string[] = []
  for (const s of statuses) {
    if (s.valid) {
      lines.push(`${s.id} ${s.version}  valid  ${s.dir}`)
      lines.push(`  ${s.name}; classes: ${s.classes!.join(', ')}`)
      lines.push(`  classifiers: ${s.classifiers!.join(', ') || 'none'}; segmenters: ${s.segmenters!.join(', ')}`)
      if (s.provenance) lines.push(`  trained on: ${s.provenance}`)
      if (s.quantization) lines.push(...describeQuantization(s.quantization).map((line) => `  ${line}`))
      if (s.unconfirmed!.length > 0) lines.push(`  UNCONFIRMED (guessed by models init, check them): ${s.unconfirmed!.join(', ')}`)
      if (show) lines.push(formatSignatureTable(s.signatures!).trimEnd().replace(/^/gm, '  '))
    } else {
      lines.push(`INVALID  ${s.dir}`)
      for (const p of s.problems) lines.push(`  ${p}`)
    }
  }
  return `${lines.join('\n')}\n`
}
