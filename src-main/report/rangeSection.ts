// The report's time-range parts: a banner under the masthead stating the range, what an image's
// time is and that the rest of the run is summarised, and the table that summarises it.
import type { ReportData } from './reportTypes.ts'
import type { RestPart } from './reportRange.ts'

type Format = { date: (iso: string) => string; int: (n: number) => string; esc: (text: string) => string }

export function rangeBanner(data: ReportData, f: Format): string {
  const range = data.range
  if (!range) return ''
  return `<p class="range-banner" data-fact="range"><b>Time range: ${f.esc(f.date(range.from))} to ${f.esc(f.date(range.to))}</b>
  (from ≤ t &lt; to). Only the images of this range are reported in full; the rest of run #${data.run.id}
  (inspected ${f.esc(f.date(range.runFirst))} to ${f.esc(f.date(range.runLast))}) is summarised below.
  <span class="muted">An image's time is ${f.esc(range.basis)}.</span></p>`
}

export function restOfRun(data: ReportData, f: Format): string {
  const range = data.range
  if (!range) return ''
  const parts: [string, string, RestPart][] = [['before', 'Before the range', range.before], ['after', 'After the range', range.after]]
  const classHeads = data.classes.map((c) => `<th class="num">${c.id} ${f.esc(c.name)}</th>`).join('')
  const rows = parts.map(([key, label, p]) => {
    const perClass = p.perClass.map((c) => `<td class="num" data-metric="class${c.classId}">${f.int(c.images)}</td>`).join('')
    return `<tr data-rest="${key}"><td>${label}</td><td class="num" data-metric="images">${f.int(p.images)}</td>
    <td class="num" data-metric="defectiveImages">${f.int(p.defectiveImages)}</td>${perClass}
    <td class="num" data-metric="reviewed">${f.int(p.review.reviewed)}</td><td class="num">${f.int(p.review.accepted)}</td>
    <td class="num">${f.int(p.review.rejected)}</td><td class="num">${f.int(p.review.flagged)}</td><td class="num">${f.int(p.humanEditedImages)}</td></tr>`
  })
  return `<section data-section="rest"><h2>The rest of the run, summarised</h2>
<table>
  <thead><tr><th></th><th class="num">Images</th><th class="num">Defective</th>${classHeads}<th class="num">Reviewed</th><th class="num">Accepted</th><th class="num">Rejected</th><th class="num">Flagged</th><th class="num">Human-edited</th></tr></thead>
  <tbody>${rows.join('')}</tbody>
</table>
<div class="notes">Counted from the run's stored results: defects as the model's masks under the run's own thresholds (human corrections are counted as human-edited images), review states as they stand now.</div></section>`
}
