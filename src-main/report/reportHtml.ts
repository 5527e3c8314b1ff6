// The report as one self-contained HTML page (styles, charts and thumbnails inline), from the
// gathered data. Pure: the same data gives the same page. Every figure also sits in the embedded
// JSON block (#report-data) and the summary cells carry data-metric attributes, so tests and
// other tools read the numbers without scraping text.
import type { ReportCharts } from './reportCharts.ts'
import { defectKey, type ReportData } from './reportData.ts'
import { rangeBanner, restOfRun } from './rangeSection.ts'
import { REPORT_CSS } from './reportStyles.ts'
import type { Thumbnail } from './reportThumbnails.ts'
import { profileLabel } from '../../src-shared/profileContent.ts'

export const REPORT_DATA_ID = 'report-data'
const FORMAT = { date: (iso: string) => formatDate(iso), int: (n: number) => fmtInt(n), esc: (text: string) => esc(text) }

/** `coilSection` is the coils part (see coilSection.ts), empty when the source has no coils. */
export function renderReportHtml(data: ReportData, charts: ReportCharts, thumbnails: ReadonlyMap<string, Thumbnail>, coilSection = ''): string {
  const title = `Inspection report — ${baseName(data.source.folderPath)} — ${formatDate(data.generatedAt)}`
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="generator" content="Coilscope ${esc(data.appVersion)}">
<title>${esc(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
${masthead(data)}
${rangeBanner(data, FORMAT)}
${facts(data)}
${fitWarning(data)}
${signOff(data)}
${kpis(data)}
${classTable(data)}
${coilSection}
<div class="charts">
  <div class="legend full">${legend(data)}</div>
  <div>${charts.perClass}</div>
  <div>${charts.areas}</div>
  <div class="full">${charts.positions}</div>
</div>
${gallery(data, thumbnails)}
${imagesTable(data)}
${restOfRun(data, FORMAT)}
${appendix(data)}
</main>
<script type="application/json" id="${REPORT_DATA_ID}">${jsonForScript(data)}</script>
</body>
</html>
`
}

function masthead(data: ReportData): string {
  return `<header class="masthead">
  <div><div class="brand">COILSCOPE · STEEL STRIP INSPECTION</div><h1>Inspection report</h1></div>
  <div class="stamp">Generated ${esc(formatDate(data.generatedAt))}<br>Run #${data.run.id} · source #${data.source.id}</div>
</header>`
}

function facts(data: ReportData): string {
  const { run, modelSet, profile } = data
  const provider = run.providerUsed ?? 'not started'
  // The fallback reason can be a paragraph (install instructions): it goes to the provenance table.
  const fallback = run.providerFallbackReason ? ', fell back: see provenance' : ''
  const gate = profile.gate === null ? 'no classifier gate' : `gate p ≥ ${fmtThreshold(profile.gate)}`
  const finished = run.finishedAt ? ` → ${sameDay(run.startedAt, run.finishedAt) ? formatDate(run.finishedAt).slice(11) : formatDate(run.finishedAt)}` : ''
  return `<dl class="facts">
  <dt>Source folder</dt><dd class="wide mono" data-fact="source">${esc(data.source.folderPath)}</dd>
  <dt>Model set</dt><dd data-fact="modelSet">${esc(modelSet.manifestId)} <b>${esc(modelSet.version)}</b> · ${modelSet.members.length} members<br><span class="mono muted">manifest ${esc(modelSet.manifestSha256.slice(0, 16))}…</span><br><span data-fact="trainedOn">${trainedOn(data)}</span></dd>
  <dt>Execution</dt><dd data-fact="provider"><b>${esc(provider)}</b> (requested ${esc(run.providerRequested)}${esc(fallback)})<br><span class="muted">ONNX Runtime ${esc(run.ortVersion ?? '?')} · TTA ${esc(run.tta.join(', '))}</span></dd>
  <dt>Run</dt><dd>#${run.id} · ${esc(run.status)}<br><span class="muted">${esc(formatDate(run.startedAt))}${esc(finished)}</span></dd>
  <dt>Thresholds</dt><dd data-fact="profile">profile “${esc(profileLabel(profile))}” · ${gate}<br><span class="muted">per class below; maps quantised q/255</span></dd>
  <dt>Software</dt><dd>Coilscope ${esc(data.appVersion)}<span class="muted"> (run made with ${esc(run.appVersion)})</span></dd>
  <dt>Reviewers</dt><dd data-fact="reviewers">${data.reviewers.length ? esc(data.reviewers.join(', ')) : '<span class="muted">none yet</span>'}</dd>
</dl>`
}

/** Always said: what the set was trained on, and plainly when that was synthetic images. */
function trainedOn(data: ReportData): string {
  const { trainedOn, synthetic } = data.modelSet
  if (!trainedOn) return '<b>Trained on: not recorded</b> (the set\'s manifest has no provenance)'
  return `Trained on: ${synthetic ? '<b>synthetic images</b> — ' : ''}${esc(trainedOn)}`
}

/** The fit check's warning, with its measure, when the source's images do not look like the training images. */
function fitWarning(data: ReportData): string {
  if (!data.fit?.unlike) return ''
  return `<p class="fit-warning" data-fact="fit"><b>Warning:</b> ${esc(data.fit.message)}</p>`
}

function signOff(data: ReportData): string {
  const name = data.signOff.name ? esc(data.signOff.name) : ''
  return `<section class="signoff">
  <div><div class="field">Signed off by (shift lead)</div><div class="line" data-fact="signOff">${name}</div></div>
  <div><div class="field">Date</div><div class="line"></div></div>
  <div><div class="field">Signature</div><div class="line"></div></div>
</section>`
}

function kpis(data: ReportData): string {
  const s = data.summary
  const pct = (n: number) => (s.images === 0 ? '–' : `${Math.round((100 * n) / s.images)} %`)
  const tile = (metric: string, label: string, value: number, sub: string, tone: 'alert' | 'warn' | null = null) =>
    `<div class="kpi${tone && value > 0 ? ` ${tone}` : ''}"><div class="label">${label}</div><div class="value" data-metric="${metric}">${fmtInt(value)}</div><div class="sub">${sub}</div></div>`
  return `<section class="kpis">
  ${tile('images', 'Images', s.images, s.failedImages > 0 ? `<span data-metric="failedImages">${s.failedImages}</span> failed, not counted` : 'with a result')}
  ${tile('defectiveImages', 'Defective', s.defectiveImages, `${pct(s.defectiveImages)} of images`, 'alert')}
  ${tile('reviewed', 'Reviewed', s.review.reviewed, `${pct(s.review.reviewed)} · <span data-metric="unreviewed">${s.review.unreviewed}</span> open`)}
  ${tile('accepted', 'Accepted', s.review.accepted, 'by a reviewer')}
  ${tile('rejected', 'Rejected', s.review.rejected, 'kept in, marked', 'alert')}
  ${tile('flagged', 'Flagged', s.review.flagged, 'for follow-up', 'warn')}
  ${tile('humanEdits', 'Human edits', s.humanEdits, `<span data-metric="humanEditedImages">${s.humanEditedImages}</span> images · <span data-metric="humanMasks">${s.humanMasks}</span> masks`)}
</section>`
}

function classTable(data: ReportData): string {
  const { profile } = data
  const rows = data.classes.map((c, k) => {
    const stats = data.summary.perClass.find((p) => p.classId === c.id)!
    const mean = stats.images > 0 ? Math.round(stats.areaPx / stats.images) : 0
    const share = data.summary.images > 0 ? `${((100 * stats.images) / data.summary.images).toFixed(1)} %` : '–'
    return `<tr data-class="${c.id}">
    <td><span class="swatch" style="background:${esc(c.color)}"></span>${c.id} · ${esc(c.name)}</td>
    <td class="num">${fmtThreshold(profile.upper[k])}</td><td class="num">${fmtThreshold(profile.lower[k])}</td><td class="num">${fmtInt(profile.minAreaModelPx[k])}</td>
    <td class="num" data-metric="classImages">${fmtInt(stats.images)}</td><td class="num">${share}</td>
    <td class="num" data-metric="classArea">${fmtInt(stats.areaPx)}</td><td class="num">${fmtInt(mean)}</td><td class="num">${fmtInt(stats.maxAreaPx)}</td>
  </tr>`
  })
  return `<h2>Defects by class <span class="aside">areas in image pixels at 1600×256; a mask is one class on one image</span></h2>
<table class="classes">
  <thead><tr><th>Class</th><th class="num">Upper</th><th class="num">Lower</th><th class="num">Min area*</th><th class="num">Images</th><th class="num">of all</th><th class="num">Total area</th><th class="num">Mean area</th><th class="num">Largest</th></tr></thead>
  <tbody>${rows.join('')}</tbody>
</table>
<div class="notes">* Min area counts model-resolution pixels with p &gt; upper; a class with fewer is empty, else its mask is p &gt; lower. Masks are as reviewed: human corrections where edited, elsewhere the model's maps under the profile above.</div>`
}

function legend(data: ReportData): string {
  return data.classes.map((c) => `<span><span class="swatch" style="background:${esc(c.color)}"></span>${c.id} ${esc(c.name)}</span>`).join('')
}

function gallery(data: ReportData, thumbnails: ReadonlyMap<string, Thumbnail>): string {
  const heading = data.gallery.order === 'largest' ? 'largest defects' : 'least certain defects (lowest peak probability)'
  const classes = new Map(data.classes.map((c) => [c.id, c]))
  const cards = data.gallery.defects.map((d, index) => {
    const c = classes.get(d.classId)!
    const thumb = thumbnails.get(defectKey(d))
    const picture = thumb?.ok
      ? `<img src="${thumb.dataUri}" alt="${esc(d.image)} class ${d.classId}">`
      : `<div class="missing">${esc(thumb?.reason ?? 'no thumbnail')}</div>`
    const certainty = d.origin === 'human' ? '<span class="edited">human mask</span>' : `peak p ${fmtP(d.maxProbability ?? 0)}`
    return `<figure class="card" style="margin:0" data-image="${esc(d.image)}" data-class="${d.classId}">
  <div class="frame">${picture}</div>
  <figcaption class="caption"><span class="status ${d.reviewStatus}">${d.reviewStatus}</span><span class="rank">${index + 1}</span><b><span class="swatch" style="background:${esc(c.color)}"></span>${esc(c.name)}</b> · ${fmtInt(d.areaPx)} px<br>
  <span class="mono">${esc(d.image)}</span> · #${d.frame} · x ${Math.round(d.centroidX)} · ${certainty}</figcaption>
</figure>`
  })
  const body = cards.length ? `<div class="gallery">${cards.join('')}</div>` : '<p class="muted">No defects.</p>'
  return `<section class="gallery-section"><h2>Gallery: ${cards.length} ${heading}<span class="aside">crop around each mask, mask in its class colour</span></h2>${body}</section>`
}

function imagesTable(data: ReportData): string {
  const classes = new Map(data.classes.map((c) => [c.id, c]))
  const rows = data.defectiveImages.map((row) => {
    const chips = row.classes
      .map((k) => {
        const c = classes.get(k.classId)!
        return `<span class="chip" style="background:${esc(c.color)}33;border-color:${esc(c.color)}">${k.classId} ${esc(c.name)} · ${fmtInt(k.areaPx)}${k.origin === 'human' ? ' <span class="edited">✎</span>' : ''}</span>`
      })
      .join('')
    return `<tr data-image="${esc(row.image)}">
    <td class="num">${row.frame}</td><td class="mono">${esc(row.image)}</td><td>${chips}</td>
    <td class="num">${row.gateProbability === null ? '–' : fmtP(row.gateProbability)}</td>
    <td><span class="status ${row.reviewStatus}">${row.reviewStatus}</span></td>
    <td>${esc(row.reviewer ?? '')}</td><td class="num">${row.edits || ''}</td><td class="note">${esc(row.note)}</td>
  </tr>`
  })
  const listed = data.summary.defectiveImages > rows.length ? ` · the first ${fmtInt(rows.length)} in file order; the summary counts them all` : ''
  return `<section><h2>Defective images (<span data-metric="defectiveImageRows">${data.summary.defectiveImages}</span>)<span class="aside">class · area in px; ✎ = human-corrected mask${listed}</span></h2>
<table class="images">
  <thead><tr><th class="num">#</th><th>Image</th><th>Defects</th><th class="num">Gate p</th><th>Review</th><th>Reviewer</th><th class="num">Edits</th><th>Note</th></tr></thead>
  <tbody>${rows.join('') || '<tr><td colspan="8" class="muted">No defective images.</td></tr>'}</tbody>
</table></section>`
}

function appendix(data: ReportData): string {
  const members = data.modelSet.members
    .map((m) => `<tr><td>${esc(m.stage)}</td><td class="mono">${esc(m.file)}</td><td class="mono">${esc(m.sha256)}</td></tr>`)
    .join('')
  return `<section class="appendix"><h2>Provenance</h2>
<table>
  <thead><tr><th>Part</th><th>File</th><th>SHA-256</th></tr></thead>
  <tbody><tr><td>manifest</td><td class="mono">${esc(data.modelSet.manifestId)} ${esc(data.modelSet.version)}</td><td class="mono">${esc(data.modelSet.manifestSha256)}</td></tr>${members}</tbody>
</table>
${data.run.providerFallbackReason ? `<div class="notes">Execution provider: ${esc(data.run.providerRequested)} was requested and ${esc(data.run.providerUsed ?? '?')} ran, because: ${esc(data.run.providerFallbackReason)}</div>` : ''}
<div class="notes">Positions: x is the mask centroid's image column across the strip width; the length axis is the image's place in file order. Every figure in this report is also embedded as JSON (#${REPORT_DATA_ID}).</div></section>`
}

/** JSON inside <script>: '<' escaped so no string can close the element. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c')
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!)
}

function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US')
}

function fmtP(p: number): string {
  return p.toFixed(2)
}

/** Thresholds as set (up to three decimals), not rounded to look like another value. */
function fmtThreshold(t: number): string {
  return String(Number(t.toFixed(3)))
}

/** Local time with its UTC offset: unambiguous on a shift log. */
export function formatDate(iso: string): string {
  const d = new Date(iso)
  const pad = (n: number) => String(Math.abs(n)).padStart(2, '0')
  const offset = -d.getTimezoneOffset()
  const zone = offset === 0 ? 'UTC' : `UTC${offset > 0 ? '+' : '−'}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())} ${zone}`
}

function sameDay(a: string, b: string): boolean {
  return formatDate(a).slice(0, 10) === formatDate(b).slice(0, 10)
}

function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).at(-1) ?? path
}
