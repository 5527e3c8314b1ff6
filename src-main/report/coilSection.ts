// The report's coils section: per coil its length, images, defects per class in count and mm², the
// proposal with every fired rule, the decision (who, when, rule-set version, out of date or not),
// and the coil map — the band with image boundaries and each defect in its class colour — as
// inline SVG, so the page stays self-contained and prints sharp. A source of many coils draws the
// latest ones and lists the others in summary.
import type { CoilMap, CoilSummary, FiredPlace } from '../../src-shared/coilTypes.ts'
import type { ModelSetClass } from '../store/index.ts'

const MAP_W = 1000
const MAP_H = 60

/** A report draws the maps of this many coils (the latest); the others get one summary row each. */
export const REPORT_COIL_MAPS = 50

/**
 * The section from the source's coils in order, each map made (by `mapOf`) and rendered one at a
 * time, so a source of thousands of coils never holds their maps together: the last `drawn` coils
 * in full, the ones before as a summary table.
 */
export function renderCoilSection(coilIds: readonly number[], mapOf: (coilId: number) => CoilMap, classes: readonly ModelSetClass[], drawn = REPORT_COIL_MAPS): string {
  if (coilIds.length === 0) return ''
  const summarised = coilIds.slice(0, Math.max(0, coilIds.length - drawn))
  const rows = summarised.map((id) => summaryRow(mapOf(id).summary))
  const blocks = coilIds.slice(summarised.length).map((id) => renderCoilBlock(mapOf(id), classes))
  const table = rows.length === 0 ? '' : `<p>${coilIds.length} coils: the maps of the last ${blocks.length}; the ${rows.length} before them in summary.</p>
<table class="coil-summary" data-coil-summary><thead><tr><th>coil</th><th>m</th><th>images</th><th>defects</th><th>proposed</th><th>decision</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`
  return `<section class="coils" data-section="coils">
<h2>Coils</h2>
${table}
${blocks.join('\n')}
</section>`
}

function summaryRow(s: CoilSummary): string {
  const defects = Object.values(s.defectsPerClass).reduce((sum, n) => sum + n, 0)
  const decision = s.decision ? `${esc(s.decision.disposition)} (${esc(s.decision.author)})${s.decisionOutOfDate ? ' <strong class="warn">out of date</strong>' : ''}` : 'not decided'
  return `<tr data-coil-row="${esc(s.name)}"><td>${esc(s.name)}</td><td class="num">${fmt(s.lengthMm / 1000)}</td><td class="num">${s.images}</td><td class="num">${defects}</td><td>${s.proposal ? esc(s.proposal.outcome) : 'none'}</td><td>${decision}</td></tr>`
}

/** One coil: its map, defects per class, proposal with the fired rules, and decision (also the per-coil report's body). */
export function renderCoilBlock(map: CoilMap, classes: readonly ModelSetClass[]): string {
  const s = map.summary
  const perClass = classes
    .map((c) => `<td class="num">${s.defectsPerClass[c.id] ?? 0}</td><td class="num">${fmt(s.defectAreaMm2PerClass[c.id] ?? 0)}</td>`)
    .join('')
  const fired = s.proposal?.fired.map((f) => `<li><strong>${f.outcome}</strong> ${esc(f.ruleId)}: ${esc(f.reason)} — value ${fmt(f.value)}, at ${f.where.length} place(s)${places(f.where)}</li>`).join('') ?? ''
  const decision = s.decision
    ? `${s.decision.action === 'override' ? 'Overridden to' : 'Confirmed'} <strong>${s.decision.disposition}</strong> by ${esc(s.decision.author)}, ` +
      `${new Date(s.decision.createdAtMs).toISOString().slice(0, 16).replace('T', ' ')} UTC, rule set ${esc(s.decisionRuleSet?.name ?? '?')} v${s.decisionRuleSet?.version ?? '?'}` +
      `${s.decision.note ? ` — “${esc(s.decision.note)}”` : ''}${s.decisionOutOfDate ? ` <strong class="warn">OUT OF DATE: ${esc(s.decisionStaleBecause.join(', '))}</strong>` : ''}`
    : 'Not decided'
  return `<div class="coil" data-coil="${esc(s.name)}">
<h3>Coil ${esc(s.name)} · ${fmt(s.lengthMm / 1000)} m · ${s.images} images${s.runId !== null ? ` · run #${s.runId}` : ''}</h3>
${svgMap(map, classes)}
<table class="coil-classes"><thead><tr>${classes.map((c) => `<th colspan="2">${esc(c.name)}</th>`).join('')}</tr>
<tr>${classes.map(() => '<th>defects</th><th>mm²</th>').join('')}</tr></thead><tbody><tr>${perClass}</tr></tbody></table>
<p>Proposed: <strong data-proposal>${s.proposal ? `${s.proposal.outcome}</strong> under ${esc(s.proposal.ruleSet.name)} v${s.proposal.ruleSet.version}` : 'none</strong> (no rule set)'}</p>
${fired ? `<ul class="fired">${fired}</ul>` : ''}
<p data-decision>${decision}</p>
</div>`
}

function svgMap(map: CoilMap, classes: readonly ModelSetClass[]): string {
  const length = Math.max(map.summary.lengthMm, 1)
  const width = Math.max(map.summary.widthMm, 1)
  const sx = MAP_W / length
  const sy = MAP_H / width
  const colour = new Map(classes.map((c) => [c.id, c.color]))
  const bounds = map.images.map((i) => `<line x1="${r(i.positionMm * sx)}" y1="0" x2="${r(i.positionMm * sx)}" y2="${MAP_H}" stroke="#999" stroke-width="0.5"/>`).join('')
  const defects = map.defects
    .map((d) => `<rect x="${r(d.box.alongFromMm * sx)}" y="${r(d.box.acrossFromMm * sy)}" width="${r(Math.max(1, (d.box.alongToMm - d.box.alongFromMm) * sx))}" height="${r(Math.max(1, (d.box.acrossToMm - d.box.acrossFromMm) * sy))}" fill="${colour.get(d.classId) ?? '#f0f'}"/>`)
    .join('')
  return `<svg class="coil-map" viewBox="0 0 ${MAP_W} ${MAP_H}" width="100%" role="img" aria-label="Coil map of ${esc(map.summary.name)}"><rect width="${MAP_W}" height="${MAP_H}" fill="#eee"/>${bounds}${defects}</svg>
<div class="coil-axis"><span>0 m</span><span>width ${fmt(map.summary.widthMm)} mm</span><span>${fmt(length / 1000)} m</span></div>`
}

function places(where: readonly FiredPlace[]): string {
  const shown = where.slice(0, 4).map((w) => `${fmt(w.alongFromMm / 1000)} m`).join(', ')
  return shown ? ` (${shown}${where.length > 4 ? ', …' : ''})` : ''
}

const r = (n: number) => Math.round(n * 10) / 10
export const fmt = (n: number) => (Math.round(n * 100) / 100).toLocaleString('en-US')

export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!)
}
