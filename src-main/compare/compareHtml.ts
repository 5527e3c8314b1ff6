// The comparison report as one self-contained HTML page (printed to PDF the same way the run report
// is): both sides' reproducibility records, the per-class table with intervals, the dispositions
// that would change, and the disagreement gallery. The data is embedded as JSON for machines.
import type { GalleryItem } from './compareGallery.ts'
import { OVERLAY_COLOURS } from './compareGallery.ts'
import { fixed, interval, percent } from './compareFormat.ts'
import type { CompareResult, SideRecord } from './index.ts'

export const COMPARE_DATA_ID = 'coilscope-compare-data'

const esc = (text: string) => text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!)
const rgb = (c: readonly number[]) => `rgb(${c.join(',')})`

export function buildCompareHtml(result: CompareResult, gallery: readonly GalleryItem[], createdAt: Date): string {
  const { comparison: c, a } = result
  const name = (classId: number) => esc(a.modelSet.classes.find((k) => k.id === classId)?.name ?? String(classId))
  const agreementRows = c.agreement.map((k) => `<tr data-class="${k.classId}"><td>${name(k.classId)}</td><td>${k.imagesEither}</td><td>${k.imagesBoth}</td><td>${k.onlyA}</td><td>${k.onlyB}</td><td>${fixed(k.meanDiceAB)}</td><td>${fixed(k.areaRatio, 2)}</td></tr>`).join('')
  const truthSection = c.truth
    ? `<h2>Against the truth</h2>
<p>Truth: ${esc(result.truth.description)}, ${c.truth.images} images. B − A with its ${100 * result.bootstrap.level} % percentile bootstrap interval over images (${result.bootstrap.resamples} resamples, seed ${result.bootstrap.seed}).</p>
<table><thead><tr><th>Class</th><th>Dice A</th><th>Dice B</th><th>B − A</th><th>Dice on defects B − A</th><th>Detection A → B</th><th>False positives A → B</th></tr></thead><tbody>
${c.truth.perClass.map((k) => `<tr data-truth-class="${k.classId}"><td>${name(k.classId)}</td><td>${fixed(k.a.meanDice)}</td><td>${fixed(k.b.meanDice)}</td><td data-diff>${interval(k.meanDiceDiff)}</td><td>${interval(k.diceOnDefectsDiff)}</td><td>${percent(k.a.detectionRecall)} → ${percent(k.b.detectionRecall)}</td><td>${percent(k.a.falsePositiveRate)} → ${percent(k.b.falsePositiveRate)}</td></tr>`).join('')}
<tr class="total"><td>All classes</td><td>${fixed(c.truth.meanDiceA)}</td><td>${fixed(c.truth.meanDiceB)}</td><td data-diff>${interval(c.truth.meanDiceDiff)}</td><td></td><td></td><td></td></tr>
</tbody></table>`
    : `<h2>Against the truth</h2><p>No truth: ${esc(result.truth.description)}. Only the agreement between A and B is shown.</p>`
  const d = result.dispositions
  const dispositionSection = d.ruleSet
    ? `<h2>Dispositions</h2><p>Rule set ${esc(d.ruleSet.name)} v${d.ruleSet.version}: ${d.changes.length} of ${d.coils} coils would change.</p>${d.changes.length ? `<table><thead><tr><th>Coil</th><th>A</th><th>B</th><th>Rules fired A</th><th>Rules fired B</th></tr></thead><tbody>${d.changes.map((ch) => `<tr><td>${esc(ch.coil)}</td><td>${ch.a}</td><td>${ch.b}</td><td>${esc(ch.rulesA.join(', '))}</td><td>${esc(ch.rulesB.join(', '))}</td></tr>`).join('')}</tbody></table>` : ''}`
    : ''
  const differing = c.ranking.filter((r) => r.score > 0)
  const galleryHtml = gallery
    .map((g, i) => `<figure data-image="${esc(g.name)}"><figcaption>${i + 1}. ${esc(g.name)} · ${name(g.classId)} · disagreement ${fixed(g.score)} · A only ${g.pixels.onlyA} px, B only ${g.pixels.onlyB} px, both ${g.pixels.both} px</figcaption>${g.dataUri ? `<img src="${g.dataUri}" alt="${esc(g.name)}">` : `<p class="muted">${esc(g.reason ?? '')}</p>`}</figure>`)
    .join('')
  const data = JSON.stringify(result).replace(/</g, '\\u003c')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Coilscope comparison · ${esc(result.source.folderPath)}</title>
<style>${CSS}</style></head><body>
<h1>Comparison of two runs</h1>
<p>${esc(result.source.folderPath)} · ${c.images} images compared${result.missingA + result.missingB ? ` (${result.missingA} without a result in A, ${result.missingB} in B)` : ''} · written ${esc(createdAt.toISOString())}</p>
<div class="sides">${sideHtml('A', result.a)}${sideHtml('B', result.b)}</div>
<h2>Agreement between A and B</h2>
<p>Per class: images where either side finds it, where both do, where only one does; mean Dice between their masks over those images; total area of B over A.</p>
<table><thead><tr><th>Class</th><th>A or B</th><th>Both</th><th>Only A</th><th>Only B</th><th>Dice(A, B)</th><th>Area B/A</th></tr></thead><tbody>${agreementRows}</tbody></table>
${truthSection}
${dispositionSection}
<h2>Where they disagree</h2>
<p>${differing.length} of ${c.images} images differ. Score = sum over classes of 1 − Dice(A, B). Overlay of the class that differs most:
<span class="key" style="background:${rgb(OVERLAY_COLOURS.onlyA)}"></span> A only <span class="key" style="background:${rgb(OVERLAY_COLOURS.onlyB)}"></span> B only <span class="key" style="background:${rgb(OVERLAY_COLOURS.both)}"></span> both.</p>
<ol class="ranking">${differing.slice(0, 30).map((r) => `<li data-rank-image="${esc(r.name)}">${esc(r.name)} — ${fixed(r.score)} (${r.differingPx} px)</li>`).join('')}</ol>
<section class="gallery">${galleryHtml}</section>
<script type="application/json" id="${COMPARE_DATA_ID}">${data}</script>
</body></html>`
}

function sideHtml(which: 'A' | 'B', side: SideRecord): string {
  const run = side.run
  const p = side.profile
  const when = (ms: number | null) => (ms === null ? '–' : new Date(ms).toISOString())
  return `<section class="side" data-side="${which}"><h2>${which}: ${esc(side.spec)}</h2><dl>
<dt>Model set</dt><dd>${esc(side.modelSet.manifestId)} ${esc(side.modelSet.version)} · manifest sha256 <code>${side.modelSet.manifestSha256.slice(0, 16)}…</code></dd>
<dt>Members</dt><dd>${side.modelSet.members.map((m) => `${esc(m.stage)} ${esc(m.file)} <code>${esc(m.sha256.slice(0, 12))}</code>`).join('<br>')}</dd>
<dt>Run</dt><dd>#${run.id} (${run.kind}, ${run.status}) · ${when(run.startedAtMs)} → ${when(run.finishedAtMs)}</dd>
<dt>Provider</dt><dd>asked ${esc(run.providerRequested)}, ran ${esc(run.providerUsed ?? '–')}${run.providerFallbackReason ? ` (${esc(run.providerFallbackReason)})` : ''}</dd>
<dt>Versions</dt><dd>Coilscope ${esc(run.appVersion)} · onnxruntime ${esc(run.ortVersion ?? '–')} · TTA ${esc(run.tta.join(', '))}</dd>
<dt>Profile</dt><dd data-profile>${esc(p.label)} · gate ${p.gate === null ? 'none' : p.gate}<br>upper ${p.upper.join(', ')} · lower ${p.lower.join(', ')} · min area ${p.minAreaModelPx.join(', ')}</dd>
</dl></section>`
}

const CSS = `
@page { size: A4; margin: 14mm 11mm; }
body { font: 10pt 'Liberation Sans', Arial, sans-serif; color: #111; margin: 0 auto; max-width: 190mm; }
h1 { font-size: 16pt; margin: 0 0 4pt; } h2 { font-size: 12pt; margin: 12pt 0 4pt; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0; } th, td { border-bottom: 1px solid #ccc; padding: 2pt 4pt; text-align: right; }
th:first-child, td:first-child { text-align: left; } tr.total td { font-weight: bold; }
.sides { display: grid; grid-template-columns: 1fr 1fr; gap: 8pt; } .side h2 { margin-top: 6pt; }
dl { display: grid; grid-template-columns: auto 1fr; gap: 1pt 6pt; margin: 0; font-size: 8.5pt; } dt { color: #555; }
.key { display: inline-block; width: 10pt; height: 10pt; border: 1px solid #555; vertical-align: middle; }
.ranking { columns: 2; font-size: 8.5pt; } figure { margin: 6pt 0; break-inside: avoid; } figure img { width: 100%; }
figcaption { font-size: 8.5pt; } .muted { color: #777; } code { font-size: 8pt; }`
