// Rule sets in the store: importing one from JSON stores it (once per name and version) and makes it
// the active set that coil listings propose with; exporting writes the stored JSON back out.
import { formatRuleSet, parseRuleSet, ruleSetSchema, type RuleSet } from '../../src-shared/dispositionRules.ts'
import type { JsonValue, RuleSetRecord, Store } from '../store/index.ts'

const ACTIVE_KEY = 'activeRuleSetId'

export interface StoredRuleSet {
  readonly record: RuleSetRecord
  readonly ruleSet: RuleSet
}

/** Validates JSON text (naming `origin` in errors), stores it and makes it active. */
export function importRuleSet(store: Store, text: string, origin: string): StoredRuleSet {
  const ruleSet = parseRuleSet(text, origin)
  const record = store.disposition.saveRuleSet(ruleSet.name, ruleSet.version, ruleSet as unknown as JsonValue)
  store.settings.set(ACTIVE_KEY, record.id)
  return { record, ruleSet }
}

/** The active rule set, or null when none was ever imported. */
export function activeRuleSet(store: Store): StoredRuleSet | null {
  const id = store.settings.get(ACTIVE_KEY)
  if (typeof id !== 'number') return null
  const record = store.disposition.getRuleSet(id)
  return record ? { record, ruleSet: ruleSetSchema.parse(record.rules) } : null
}

export function exportRuleSet(record: RuleSetRecord): string {
  return formatRuleSet(ruleSetSchema.parse(record.rules))
}
