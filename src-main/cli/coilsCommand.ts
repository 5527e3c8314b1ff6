// `coilscope coils --db <file> [--source …] [--json]`: brings each source's coils up to date with
// its grouping and geometry (which the options here can change) and lists them with the proposal of
// the active rule set (or --rules, which is imported and made active) and the current decision;
// or, with --report, writes one coil's report.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { InvalidArgumentError, type Command } from 'commander'
import { ZodError } from 'zod'
import { assignCoils } from '../coils/assignCoils.ts'
import { saveCoilSettings } from '../coils/coilSettings.ts'
import { summariseCoils, type CoilSummary } from '../coils/coilSummary.ts'
import { formatCoilsCsv } from '../export/coilsCsv.ts'
import { writeFileAtomic } from '../export/atomicWrite.ts'
import { activeRuleSet, importRuleSet, type StoredRuleSet } from '../coils/ruleSets.ts'
import type { SourceRecord, Store } from '../store/index.ts'
import type { CommandResult } from './commandResult.ts'
import { choice } from './options.ts'
import { openExisting } from './recordedRuns.ts'
import { UsageError } from './usageError.ts'
import { checkOutputPath, forceHint } from './outputCheck.ts'
import { writeCoilReport } from '../report/coilReport.ts'
import { PdfPrintError } from '../report/index.ts'

const GROUP_BY = ['subfolders', 'single', 'pattern', 'csv'] as const

interface CoilsOptions {
  db: string
  source?: string
  rules?: string
  json: boolean
  csv?: string
  groupBy?: (typeof GROUP_BY)[number]
  pattern?: string
  mapping?: string
  along?: 'x' | 'y'
  mmPerPx?: [number, number]
  report?: string
  out?: string
  force: boolean
}

export function registerCoils(program: Command, result: CommandResult): void {
  program
    .command('coils')
    .description("list the coils of a database's sources with their proposed and confirmed dispositions")
    .requiredOption('--db <file>', 'database written by `coilscope inspect --db` or the app')
    .option('--source <folder>', 'only this source (required to change its settings when the database has several)')
    .option('--rules <file.json>', 'rule set to propose with; it is stored and becomes the active one')
    .option('--group-by <form>', `set the grouping: ${GROUP_BY.join(' | ')}`, choice(GROUP_BY))
    .option('--pattern <regex>', 'file-name pattern with named groups coil and seq (for --group-by pattern)')
    .option('--mapping <csv>', 'CSV with columns file, coil, seq, relative to the source (for --group-by csv)')
    .option('--along <axis>', 'set the image axis that runs along the strip: x | y', choice(['x', 'y'] as const))
    .option('--mm-per-px <x[,y]>', 'set millimetres per pixel on x and y (one number for both)', millimetresPerPixel)
    .option('--csv <file>', 'also write the coils CSV (coil, length, images, defects per class, proposed and confirmed disposition, …)')
    .option('--json', 'print the coils as JSON on stdout', false)
    .option('--report <coil>', "write this coil's report (its id or name) to --out instead of listing")
    .option('--out <file>', 'the coil report: coil.pdf (printed by headless Chromium) or coil.html')
    .option('--force', 'replace the --out file if it exists', false)
    .action(async (options: CoilsOptions) => {
      if (options.report !== undefined && options.out === undefined) throw new UsageError('--report needs --out <file.pdf|file.html>')
      if (options.out !== undefined && options.report === undefined) throw new UsageError('--out goes with --report <coil>')
      const out = options.out === undefined ? undefined : resolve(options.out)
      if (out !== undefined) {
        if (!/\.(pdf|html?)$/i.test(out)) throw new UsageError(`${out}: the report is written as .pdf or .html`)
        checkOutputPath(out, { kind: 'file', force: options.force })
      }
      const store = openExisting(options.db)
      try {
        const sources = pickSources(store, options.source)
        applySettings(store, sources, options)
        const rules = options.rules ? importRules(store, options.rules) : activeRuleSet(store)
        let problems = 0
        for (const source of sources) {
          for (const p of (await assignCoils(store, source)).problems) {
            problems++
            process.stderr.write(`${source.folderPath}: ${p.file}: ${p.problem}\n`)
          }
        }
        const coils = summariseCoils(store, sources, rules)
        if (options.report !== undefined) {
          const coil = pickCoil(coils, options.report)
          const written = await writeCoilReport(store, { coilId: coil.id, out: out!, overwrite: options.force }).catch((error) => {
            throw error instanceof PdfPrintError ? new UsageError(error.message) : forceHint(error)
          })
          process.stderr.write(`wrote ${written.path} (${Math.round(written.bytes / 1024)} KiB): coil ${coil.name}, ${coil.images} images, proposed ${coil.proposal?.outcome ?? 'nothing (no rule set)'}\n`)
          result.exitCode = problems > 0 ? 3 : 0
          return
        }
        if (options.json) process.stdout.write(`${JSON.stringify(coils, null, 2)}\n`)
        else process.stdout.write(formatCoils(coils, rules))
        if (options.csv) {
          const out = resolve(options.csv)
          await writeFileAtomic(out, formatCoilsCsv(coils, classIdsOf(store, coils)))
          process.stderr.write(`wrote ${out} (${coils.length} coils)\n`)
        }
        result.exitCode = problems > 0 ? 3 : 0
      } finally {
        store.close()
      }
    })
}

export function importRules(store: Store, file: string): StoredRuleSet {
  const path = resolve(file)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new UsageError(`${path}: cannot read the rule set (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
  }
  try {
    return importRuleSet(store, text, path)
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

/** The classes of the model sets the coils were inspected with, else those their defects have. */
function classIdsOf(store: Store, coils: readonly CoilSummary[]): number[] {
  const ids = new Set<number>()
  for (const runId of new Set(coils.map((c) => c.runId))) {
    const run = runId === null ? undefined : store.runs.get(runId)
    for (const c of (run && store.modelSets.get(run.modelSetId)?.classes) ?? []) ids.add(c.id)
  }
  for (const c of coils) for (const k of Object.keys(c.defectsPerClass)) ids.add(Number(k))
  return [...ids].sort((a, b) => a - b)
}

function pickCoil(coils: readonly CoilSummary[], wanted: string): CoilSummary {
  const byId = /^\d+$/.test(wanted) ? coils.find((c) => c.id === Number(wanted)) : undefined
  const byName = coils.filter((c) => c.name === wanted)
  if (byId) return byId
  if (byName.length === 1) return byName[0]
  if (byName.length > 1) throw new UsageError(`coil "${wanted}" is in several sources (${byName.map((c) => c.source).join(', ')}); give its id (${byName.map((c) => c.id).join(', ')}) or --source`)
  throw new UsageError(`no coil "${wanted}"; coils: ${coils.map((c) => `${c.id} ${c.name}`).join(', ') || 'none'}`)
}

function pickSources(store: Store, folder: string | undefined): SourceRecord[] {
  const sources = store.sources.list()
  if (folder === undefined) return sources
  const source = store.sources.findByPath(resolve(folder))
  if (!source) throw new UsageError(`${resolve(folder)} is not a source in ${store.path}; sources: ${sources.map((s) => s.folderPath).join(', ') || 'none'}`)
  return [source]
}

function applySettings(store: Store, sources: readonly SourceRecord[], o: CoilsOptions): void {
  const changesGrouping = o.groupBy !== undefined || o.pattern !== undefined || o.mapping !== undefined
  const changesGeometry = o.along !== undefined || o.mmPerPx !== undefined
  if (!changesGrouping && !changesGeometry) return
  if (sources.length !== 1) throw new UsageError(`${store.path} has ${sources.length} sources; choose the one to set with --source`)
  const source = sources[0]
  const kind = o.groupBy ?? (o.pattern !== undefined ? 'pattern' : o.mapping !== undefined ? 'csv' : undefined)
  if (kind === 'pattern' && o.pattern === undefined) throw new UsageError('--group-by pattern needs --pattern <regex>')
  if (kind === 'csv' && o.mapping === undefined) throw new UsageError('--group-by csv needs --mapping <csv>')
  const grouping = kind === undefined ? undefined : kind === 'pattern' ? { kind, pattern: o.pattern } : kind === 'csv' ? { kind, csvPath: o.mapping } : { kind }
  const stored = store.coils.settings(source.id).geometry as { alongAxis: string; mmPerPixelX: number; mmPerPixelY: number } | null
  const geometry = changesGeometry
    ? {
        alongAxis: o.along ?? stored?.alongAxis ?? 'x',
        mmPerPixelX: o.mmPerPx?.[0] ?? stored?.mmPerPixelX ?? 1,
        mmPerPixelY: o.mmPerPx?.[1] ?? stored?.mmPerPixelY ?? 1,
      }
    : undefined
  try {
    saveCoilSettings(store, source.id, { grouping, geometry })
  } catch (error) {
    const message = error instanceof ZodError
      ? error.issues.map((issue) => `${issue.path.join('.') || 'value'}: ${issue.message}`).join('; ')
      : (error as Error).message
    throw new UsageError(`${source.folderPath}: ${message}`)
  }
}

function millimetresPerPixel(value: string): [number, number] {
  const parts = value.split(',').map(Number)
  if (parts.length > 2 || parts.some((n) => !(n > 0) || !Number.isFinite(n))) throw new InvalidArgumentError('expected one or two positive numbers, x,y')
  return [parts[0], parts[1] ?? parts[0]]
}

export function formatCoils(coils: readonly CoilSummary[], rules: StoredRuleSet | null): string {
  const header = rules ? `rule set ${rules.ruleSet.name} v${rules.ruleSet.version}` : 'no rule set (give one with --rules)'
  const lines = coils.map((c) => {
    const defects = Object.entries(c.defectsPerClass).map(([k, n]) => `${n}×c${k}`).join(' ') || 'none'
    const fired = c.proposal?.fired.map((f) => f.ruleId).join(', ')
    const proposal = c.proposal ? `${c.proposal.outcome}${fired ? ` (${fired})` : ''}` : c.runId === null ? 'not inspected' : '—'
    const decision = c.decision
      ? `${c.decision.action === 'override' ? 'overridden to ' : 'confirmed '}${c.decision.disposition} by ${c.decision.author} ` +
        `${new Date(c.decision.createdAtMs).toISOString()}${c.decisionOutOfDate ? ` (OUT OF DATE: ${c.decisionStaleBecause.join(', ')})` : ''}`
      : 'undecided'
    return `${c.id}\t${c.name}\t${c.images} images\t${(c.lengthMm / 1000).toFixed(2)} m\tdefects ${defects}\tproposed ${proposal}\t${decision}`
  })
  return `${coils.length} coil(s); ${header}\n${lines.map((l) => `${l}\n`).join('')}`
}
