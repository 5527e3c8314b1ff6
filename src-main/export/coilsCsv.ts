// The coils CSV: one row per coil with its length, images, defects per class, the proposed
// disposition and the rule set it came from, and the confirmed disposition with its reviewer, time
// and the rule-set version the decision answered. Pure: summaries in, text out.
import { stringify } from 'csv-stringify/sync'
import type { CoilSummary } from '../coils/coilSummary.ts'

export function formatCoilsCsv(coils: readonly CoilSummary[], classIds: readonly number[]): string {
  const columns = [
    'coil', 'source', 'length_m', 'images', ...classIds.map((k) => `defects_class_${k}`), ...classIds.map((k) => `area_mm2_class_${k}`),
    'proposed', 'rule_set', 'rule_set_version', 'fired_rules', 'confirmed', 'decision', 'reviewer', 'decided_at', 'decision_rule_set_version',
    'decision_out_of_date', 'note',
  ]
  const rows = coils.map((c) => [
    c.name, c.source, c.lengthMm / 1000, c.images,
    ...classIds.map((k) => c.defectsPerClass[k] ?? 0),
    ...classIds.map((k) => +(c.defectAreaMm2PerClass[k] ?? 0).toFixed(3)),
    c.proposal?.outcome ?? '', c.proposal?.ruleSet.name ?? '', c.proposal?.ruleSet.version ?? '', c.proposal?.fired.map((f) => f.ruleId).join('; ') ?? '',
    c.decision?.disposition ?? '', c.decision?.action ?? '', c.decision?.author ?? '',
    c.decision ? new Date(c.decision.createdAtMs).toISOString() : '', c.decisionRuleSet?.version ?? '',
    c.decision ? (c.decisionOutOfDate ? 'yes' : 'no') : '', c.decision?.note ?? '',
  ])
  return stringify(rows, { header: true, columns, record_delimiter: 'unix' })
}
