// The coils CSV from coil summaries: every column, a decided and an undecided coil, classes absent.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parse } from 'csv-parse/sync'
import type { CoilSummary } from '../../../src-main/coils/coilSummary.ts'
import { formatCoilsCsv } from '../../../src-main/export/coilsCsv.ts'

const base: CoilSummary = {
  id: 1, source: '/line/C01', name: 'C01', images: 40, lengthMm: 64_000, widthMm: 256, runId: 3, imagesWithoutResult: 0,
  defectsPerClass: { 3: 5, 4: 1 }, defectAreaMm2PerClass: { 3: 1234.5, 4: 10 },
  proposal: { outcome: 'downgrade', ruleSet: { name: 'plant', version: 2 }, fired: [{ ruleId: 'area', outcome: 'downgrade', reason: 'r', value: 1, where: [] }, { ruleId: 'edge', outcome: 'accept', reason: 'r', value: 1, where: [] }] },
  decision: null, decisionOutOfDate: false, decisionStaleBecause: [], decisionRuleSet: null,
}
const decided: CoilSummary = {
  ...base, id: 2, name: 'C02', defectsPerClass: {}, defectAreaMm2PerClass: {},
  decision: { id: 9, coilId: 2, runId: 3, ruleSetId: 1, proposed: 'downgrade', action: 'override', disposition: 'reject', note: 'cracked, "see photo"', author: 'ana', createdAtMs: Date.UTC(2026, 0, 2, 3, 4, 5) },
  decisionOutOfDate: true, decisionRuleSet: { name: 'plant', version: 1 },
}

test('one row per coil with counts and areas per class, proposal, decision and versions', () => {
  const rows = parse(formatCoilsCsv([base, decided], [1, 2, 3, 4]), { columns: true }) as Record<string, string>[]
  assert.deepEqual(rows[0], {
    coil: 'C01', source: '/line/C01', length_m: '64', images: '40',
    defects_class_1: '0', defects_class_2: '0', defects_class_3: '5', defects_class_4: '1',
    area_mm2_class_1: '0', area_mm2_class_2: '0', area_mm2_class_3: '1234.5', area_mm2_class_4: '10',
    proposed: 'downgrade', rule_set: 'plant', rule_set_version: '2', fired_rules: 'area; edge',
    confirmed: '', decision: '', reviewer: '', decided_at: '', decision_rule_set_version: '', decision_out_of_date: '', note: '',
  })
  assert.deepEqual(
    [rows[1].confirmed, rows[1].decision, rows[1].reviewer, rows[1].decided_at, rows[1].decision_rule_set_version, rows[1].decision_out_of_date, rows[1].note],
    ['reject', 'override', 'ana', '2026-01-02T03:04:05.000Z', '1', 'yes', 'cracked, "see photo"'],
  )
})
