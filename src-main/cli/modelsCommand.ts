// `coilscope models`: lists the model sets under models/ (or --root) with their validation status.
// Validation is complete: manifest schema, member hashes, and every member's real ONNX signature.
import { readdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Command } from 'commander'
import { loadModelSet } from '../inference/index.ts'
import type { CommandResult } from './commandResult.ts'
import { isDirectory, MODELS_ROOT } from './options.ts'
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
  problems: string[]
}

export function registerModels(program: Command, result: CommandResult): void {
  program
    .command('models')
    .description('list the model sets found and whether each is valid')
    .option('--root <dir>', 'folder holding model-set folders', MODELS_ROOT)
    .option('--json', 'print the list as JSON on stdout', false)
    .action(async (options: { root: string; json: boolean }) => {
      const root = resolve(options.root)
      if (!isDirectory(root)) throw new UsageError(`${root}: no such folder`)
      const statuses = await listModelSets(root)
      if (options.json) process.stdout.write(`${JSON.stringify(statuses, null, 2)}\n`)
      else process.stdout.write(formatStatuses(root, statuses))
      result.exitCode = 0
    })
}

export async function listModelSets(root: string): Promise<ModelSetStatus[]> {
  const dirs = (await readdir(root, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
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
      problems: [],
    }
  } catch (error) {
    return { dir, valid: false, problems: (error as Error).message.split('\n') }
  }
}

function formatStatuses(root: string, statuses: ModelSetStatus[]): string {
  if (statuses.length === 0) return `No model sets in ${root}\n`
  const lines: string[] = []
  for (const s of statuses) {
    if (s.valid) {
      lines.push(`${s.id} ${s.version}  valid  ${s.dir}`)
      lines.push(`  ${s.name}; classes: ${s.classes!.join(', ')}`)
      lines.push(`  classifiers: ${s.classifiers!.join(', ') || 'none'}; segmenters: ${s.segmenters!.join(', ')}`)
    } else {
      lines.push(`INVALID  ${s.dir}`)
      for (const p of s.problems) lines.push(`  ${p}`)
    }
  }
  return `${lines.join('\n')}\n`
}
