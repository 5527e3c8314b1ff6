// `coilscope disposition --db <file> --coil <id> --rules <file.json>`: evaluates one coil headless —
// its defects from the reviewed masks, the proposal and every rule that fired, with where — and,
// with --decide, records the inspector's decision (a confirmation, or an override with --note).
import type { Command } from 'commander'
import type { Proposal } from '../../src-shared/disposition.ts'
import { DISPOSITIONS, type Disposition } from '../../src-shared/dispositionRules.ts'
import { coilStatus } from '../coils/coilDisposition.ts'
import type { JsonValue } from '../store/index.ts'
import { importRules } from './coilsCommand.ts'
import type { CommandResult } from './commandResult.ts'
import { choice, positiveInteger } from './options.ts'
import { openExisting } from './recordedRuns.ts'
import { UsageError } from './usageError.ts'

interface DispositionOptions {
  db: string
  coil: number
  rules: string
  json: boolean
  decide?: Disposition
  author?: string
  note?: string
}

export function registerDisposition(program: Command, result: CommandResult): void {
  program
    .command('disposition')
    .description('evaluate a coil against a rule set: the proposed disposition and every rule that fired, where')
    .requiredOption('--db <file>', 'database holding the coil (see `coilscope coils`)')
    .requiredOption('--coil <id>', 'coil id, as `coilscope coils` lists it', positiveInteger)
    .requiredOption('--rules <file.json>', 'rule set; it is stored and becomes the active one')
    .option('--decide <outcome>', `record a decision: ${DISPOSITIONS.join(' | ')} (other than the proposal needs --note)`, choice(DISPOSITIONS))
    .option('--author <name>', 'who decides (default: the user name)')
    .option('--note <text>', 'why, required when overriding the proposal')
    .option('--json', 'print the evaluation as JSON on stdout', false)
    .action((options: DispositionOptions) => {
      const store = openExisting(options.db)
      try {
        if (!store.coils.get(options.coil)) throw new UsageError(`${store.path} has no coil ${options.coil} (list them with \`coilscope coils\`)`)
        const rules = importRules(store, options.rules)
        const status = coilStatus(store, options.coil, rules.ruleSet)
        if (!status.proposal || status.runId === null) throw new UsageError(`coil ${status.coil.name} has no inspected images yet`)
        let decision = null
        if (options.decide) {
          const author = options.author ?? process.env.USER ?? process.env.USERNAME ?? ''
          if (author === '') throw new UsageError('--decide needs --author <name>')
          try {
            decision = store.disposition.decide({
              coilId: options.coil, runId: status.runId, ruleSetId: rules.record.id, proposal: { ...status.proposal, profile: status.profile } as unknown as JsonValue,
              proposed: status.proposal.outcome, disposition: options.decide, author, note: options.note,
            })
          } catch (error) {
            throw new UsageError((error as Error).message)
          }
        }
        const { coil, runId, defects, imagesWithoutResult, proposal } = status
        if (options.json) process.stdout.write(`${JSON.stringify({ coil, runId, imagesWithoutResult, defects, proposal, decision }, null, 2)}\n`)
        else process.stdout.write(formatProposal(coil.name, defects.length, proposal))
        if (decision) process.stderr.write(`recorded: ${decision.action} ${decision.disposition} by ${decision.author}\n`)
        result.exitCode = 0
      } finally {
        store.close()
      }
    })
}

function formatProposal(coilName: string, defectCount: number, proposal: Proposal): string {
  const fired = proposal.fired.map((f) => {
    const places = f.where.slice(0, 5).map((w) => `${(w.alongFromMm / 1000).toFixed(3)} m/${w.acrossFromMm.toFixed(0)} mm`).join(', ')
    const more = f.where.length > 5 ? ` and ${f.where.length - 5} more` : ''
    return `  ${f.outcome}\t${f.ruleId}: ${f.reason} (value ${+f.value.toFixed(3)}; at ${places}${more})\n`
  })
  return `coil ${coilName}: ${defectCount} defects; proposed ${proposal.outcome} under ${proposal.ruleSet.name} v${proposal.ruleSet.version}\n${fired.join('')}`
}
