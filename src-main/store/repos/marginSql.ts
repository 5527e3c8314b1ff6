// The uncertainty rule of src-shared/uncertainty.ts (`decisionMargin`) as one SQL expression over
// a prediction's columns, so a batch of margins is one INSERT … SELECT with no row crossing into
// JavaScript (parsing class_stats_json in JavaScript cost more than the rest together). The two are
// held equal on stored predictions by test/main/store/marginSql.test.ts.
// Parameters: @gate (the profile's gate or null), @upper (its per-class thresholds as a JSON array).

/** The gate's margin: distance of the gate probability to the gate, 1 when either is missing. */
const GATE_MARGIN = 'coalesce(abs(p.gate_probability - @gate), 1)'

/** Each class: its highest probability's distance to its threshold, less the members' disagreement. */
const CLASS_MARGIN = `(SELECT min(abs((c.value ->> 'maxProbability') - (@upper ->> c.key)) - coalesce(c.value ->> 'disagreement', 0))
  FROM json_each(p.class_stats_json) c)`

/** A gated-out image is decided by the gate alone; a segmented one by the gate and every class. */
export const MARGIN_SQL = `CASE WHEN p.gate_probability < @gate THEN ${GATE_MARGIN}
  ELSE min(${GATE_MARGIN}, coalesce(${CLASS_MARGIN}, ${GATE_MARGIN})) END`

/** The profile's part the rule reads, bound to MARGIN_SQL's parameters. */
export function marginParams(profile: { readonly gate: number | null; readonly upper: readonly number[] }): { gate: number | null; upper: string } {
  return { gate: profile.gate, upper: JSON.stringify(profile.upper) }
}
