// Rule sets and coil decisions. A rule set is stored once per (name, version) and never changed:
// saving the same content again finds the stored one; different content under a stored version is
// refused. Decisions are an append-only log per coil; the latest is current.
import type { Database } from 'better-sqlite3'
import type { Disposition } from '../../../src-shared/dispositionRules.ts'
import type { Clock } from '../clock.ts'
import { canonicalJson, parseJson } from '../json.ts'
import type { JsonValue } from '../records.ts'

export interface RuleSetRecord {
  readonly id: number
  readonly name: string
  readonly version: number
  /** The whole rule set as validated JSON. */
  readonly rules: JsonValue
  readonly createdAtMs: number
}

export interface DecisionInput {
  readonly coilId: number
  readonly runId: number
  readonly ruleSetId: number
  /** The proposal the inspector answered, as shown to them. */
  readonly proposal: JsonValue
  readonly proposed: Disposition
  readonly disposition: Disposition
  readonly author: string
  readonly note?: string
}

export interface DecisionRecord extends Omit<DecisionInput, 'note'> {
  readonly id: number
  readonly action: 'confirm' | 'override'
  readonly note: string
  readonly createdAtMs: number
}

export interface DispositionRepo {
  /** Stores a rule set, or returns the stored one with identical content. */
  saveRuleSet(name: string, version: number, rules: JsonValue): RuleSetRecord
  getRuleSet(id: number): RuleSetRecord | undefined
  listRuleSets(): RuleSetRecord[]
  decide(input: DecisionInput): DecisionRecord
  currentDecision(coilId: number): DecisionRecord | undefined
  decisions(coilId: number): DecisionRecord[]
}

interface RuleSetRow { id: number; name: string; version: number; rules_json: string; created_at_ms: number }
interface DecisionRow {
  id: number; coil_id: number; run_id: number; rule_set_id: number; proposal_json: string; proposed: Disposition
  action: 'confirm' | 'override'; disposition: Disposition; note: string; author: string; created_at_ms: number
}

export function createDispositionRepo(db: Database, now: Clock): DispositionRepo {
  const findSet = db.prepare<[string, number], RuleSetRow>('SELECT * FROM rule_sets WHERE name = ? AND version = ?')
  const insertSet = db.prepare<[string, number, string, number], RuleSetRow>(
    'INSERT INTO rule_sets (name, version, rules_json, created_at_ms) VALUES (?, ?, ?, ?) RETURNING *',
  )
  const getSet = db.prepare<[number], RuleSetRow>('SELECT * FROM rule_sets WHERE id = ?')
  const listSets = db.prepare<[], RuleSetRow>('SELECT * FROM rule_sets ORDER BY name, version')
  const insertDecision = db.prepare<[number, number, number, string, string, string, string, string, string, number], DecisionRow>(
    `INSERT INTO coil_decisions (coil_id, run_id, rule_set_id, proposal_json, proposed, action, disposition, note, author, created_at_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  )
  const current = db.prepare<[number], DecisionRow>('SELECT * FROM coil_decisions WHERE coil_id = ? ORDER BY id DESC LIMIT 1')
  const history = db.prepare<[number], DecisionRow>('SELECT * FROM coil_decisions WHERE coil_id = ? ORDER BY id')

  return {
    saveRuleSet(name, version, rules) {
      const text = canonicalJson(rules)
      return db.transaction(() => {
        const stored = findSet.get(name, version)
        if (stored && stored.rules_json !== text) {
          throw new Error(`rule set "${name}" version ${version} is already stored with other rules; give the changed set a new version`)
        }
        return toRuleSet(stored ?? insertSet.get(name, version, text, now())!)
      })()
    },
    getRuleSet: (id) => {
      const row = getSet.get(id)
      return row && toRuleSet(row)
    },
    listRuleSets: () => listSets.all().map(toRuleSet),
    decide(input) {
      const action = input.disposition === input.proposed ? 'confirm' : 'override'
      const note = input.note ?? ''
      if (action === 'override' && note.trim() === '') throw new Error('overriding the proposed disposition needs a note saying why')
      return toDecision(insertDecision.get(
        input.coilId, input.runId, input.ruleSetId, canonicalJson(input.proposal), input.proposed, action, input.disposition, note,
        input.author, now(),
      )!)
    },
    currentDecision: (coilId) => {
      const row = current.get(coilId)
      return row && toDecision(row)
    },
    decisions: (coilId) => history.all(coilId).map(toDecision),
  }
}

function toRuleSet(row: RuleSetRow): RuleSetRecord {
  return { id: row.id, name: row.name, version: row.version, rules: parseJson<JsonValue>(row.rules_json), createdAtMs: row.created_at_ms }
}

function toDecision(row: DecisionRow): DecisionRecord {
  return {
    id: row.id, coilId: row.coil_id, runId: row.run_id, ruleSetId: row.rule_set_id, proposal: parseJson<JsonValue>(row.proposal_json),
    proposed: row.proposed, action: row.action, disposition: row.disposition, note: row.note, author: row.author,
    createdAtMs: row.created_at_ms,
  }
}
