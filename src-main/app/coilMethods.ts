// The coils methods over the store: coils regrouped from each source's settings (only when those or
// its images changed) and listed with the active rule set's proposal, one coil's map, the
// reviewer's decision, rule-set import/export, and the source's coil settings (coilSettingsMethods.ts).
import type { CoilApiMethods } from '../../src-shared/coilTypes.ts'
import { CoilCache } from '../coils/coilCache.ts'
import { coilStatus } from '../coils/coilDisposition.ts'
import { coilMap } from '../coils/coilMap.ts'
import { createCoilSettingsMethods } from './coilSettingsMethods.ts'
import { activeRuleSet, exportRuleSet, importRuleSet } from '../coils/ruleSets.ts'
import type { JsonValue, Store } from '../store/index.ts'

/** `cache` keeps what a listing found, for the host's lifetime: a listing redoes only what changed. */
export function createCoilMethods(store: Store, author: () => string, cache = new CoilCache(store)): CoilApiMethods {
  const nameOf = (r: ReturnType<typeof activeRuleSet>) => (r ? { name: r.ruleSet.name, version: r.ruleSet.version } : null)
  return {
    ...createCoilSettingsMethods(store),
    listCoils: async ({ sourceId }) => {
      const sources = sourceId === null ? store.sources.list() : [requireSource(store, sourceId)]
      const problems = []
      for (const source of sources) {
        for (const p of await cache.regroup(source)) problems.push({ source: source.folderPath, ...p })
      }
      const rules = activeRuleSet(store)
      const coils = []
      for (const source of sources) coils.push(...(await cache.lines(source, rules)))
      return { coils, problems, ruleSet: nameOf(rules) }
    },
    getCoilMap: async ({ coilId }) => coilMap(store, coilId),
    decideCoil: async ({ coilId, proposed, disposition, note }) => {
      const rules = activeRuleSet(store)
      if (!rules) throw new Error('there is no rule set to decide against; import one first')
      const status = coilStatus(store, coilId, rules.ruleSet)
      if (!status.proposal || status.runId === null) throw new Error(`coil ${status.coil.name} has no inspected images yet`)
      if (status.proposal.outcome !== proposed) {
        throw new Error(`the proposal for coil ${status.coil.name} is now ${status.proposal.outcome}, not ${proposed}; look at it again before deciding`)
      }
      const { proposal: _answered, ...decision } = store.disposition.decide({
        coilId, runId: status.runId, ruleSetId: rules.record.id, proposal: { ...status.proposal, profile: status.profile } as unknown as JsonValue,
        proposed, disposition, note, author: author(),
      })
      return decision
    },
    importRuleSet: async ({ json }) => nameOf(importRuleSet(store, json, 'the rule set'))!,
    exportRuleSet: async () => {
      const rules = activeRuleSet(store)
      return rules ? exportRuleSet(rules.record) : null
    },
  }
}

function requireSource(store: Store, sourceId: number) {
  const source = store.sources.get(sourceId)
  if (!source) throw new Error(`no source ${sourceId}`)
  return source
}
