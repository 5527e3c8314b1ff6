// One coil's report, the way the inspection report is made (self-contained HTML, printed to PDF by
// the same printer): the coil map, the proposal with every rule that fired and where, the decisions
// with who and when, a gallery of the coil's largest defects cropped from their images, and who
// reviewed its images. The masks are those the coil's proposal stands on (reviewed where edited).
import { basename, extname, join } from 'node:path'
import type { CoilDefect, CoilMap } from '../../src-shared/coilTypes.ts'
import { TargetExistsError, writeFileAtomic } from '../export/index.ts'
import { coilMap } from '../coils/coilMap.ts'
import { profileForRun } from '../review/profiles.ts'
import { reviewedMasks } from '../review/reviewedMasks.ts'
import type { ModelSetClass, Store } from '../store/index.ts'
import { esc, fmt, renderCoilBlock } from './coilSection.ts'
import { printHtmlToPdf } from './printPdf.ts'
import { REPORT_CSS } from './reportStyles.ts'
import { renderThumbnail, type Thumbnail } from './reportThumbnails.ts'

export const COIL_GALLERY_COUNT = 8

export interface CoilReportOptions {
  readonly coilId: number
  readonly galleryCount?: number
  /** The time printed on the report (tests pin it). */
  readonly now?: Date
}

export interface CoilReport {
  readonly html: string
  readonly map: CoilMap
  readonly gallery: readonly CoilDefect[]
}

export async function buildCoilReportHtml(store: Store, options: CoilReportOptions): Promise<CoilReport> {
  const map = coilMap(store, options.coilId)
  const { summary } = map
  const run = summary.runId === null ? undefined : store.runs.get(summary.runId)
  const classes: readonly ModelSetClass[] = (run && store.modelSets.get(run.modelSetId)?.classes) ?? []
  const gallery = [...map.defects].sort((a, b) => b.areaMm2 - a.areaMm2).slice(0, options.galleryCount ?? COIL_GALLERY_COUNT)
  const thumbnails = run ? await galleryThumbnails(store, map, run.id, gallery, classes) : []
  const generated = (options.now ?? new Date()).toISOString().slice(0, 16).replace('T', ' ')
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Coil report — ${esc(summary.name)} — ${generated} UTC</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<header class="masthead">
  <div><div class="brand">COILSCOPE · STEEL STRIP INSPECTION</div><h1>Coil report: ${esc(summary.name)}</h1></div>
  <div class="stamp">Generated ${generated} UTC<br>${esc(summary.source)}</div>
</header>
${renderCoilBlock(map, classes)}
${decisionHistory(store, summary.id)}
${galleryHtml(map, gallery, thumbnails, classes)}
${reviewers(store, map)}
</main>
</body>
</html>
`
  return { html, map, gallery }
}

export interface WriteCoilReportOptions extends CoilReportOptions {
  /** .html or .pdf. */
  readonly out: string
  readonly overwrite?: boolean
  readonly chromiumPath?: string
  /** Electron's printToPDF in the app; headless Chromium when absent. */
  readonly printPdf?: (html: string, footer: string) => Promise<Uint8Array>
}

export async function writeCoilReport(store: Store, options: WriteCoilReportOptions): Promise<{ path: string; bytes: number; report: CoilReport }> {
  const ext = extname(options.out).toLowerCase()
  if (ext !== '.pdf' && ext !== '.html' && ext !== '.htm') throw new Error(`${options.out}: the report is written as .pdf or .html`)
  const report = await buildCoilReportHtml(store, options)
  const footer = `Coilscope coil report · ${report.map.summary.name} · ${report.map.summary.source}`
  const bytes = ext !== '.pdf'
    ? Buffer.from(report.html, 'utf8')
    : options.printPdf ? await options.printPdf(report.html, footer) : await printHtmlToPdf(report.html, { footer, chromiumPath: options.chromiumPath })
  try {
    await writeFileAtomic(options.out, bytes, { overwrite: options.overwrite })
  } catch (error) {
    if (error instanceof TargetExistsError) throw error
    throw new Error(`cannot write ${options.out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error })
  }
  return { path: options.out, bytes: bytes.length, report }
}

/** Each gallery defect cropped from its image with its class mask (the masks the proposal used). */
async function galleryThumbnails(store: Store, map: CoilMap, runId: number, gallery: readonly CoilDefect[], classes: readonly ModelSetClass[]): Promise<Thumbnail[]> {
  const profile = profileForRun(store, runId)
  const source = store.sources.get(store.coils.get(map.summary.id)!.sourceId)!
  const colour = new Map(classes.map((c) => [c.id, c.color]))
  const thumbnails: Thumbnail[] = []
  for (const defect of gallery) {
    const image = store.images.get(defect.imageId)!
    const rle = reviewedMasks(store, runId, defect.imageId, profile).find((m) => m.classId === defect.classId)?.rle ?? ''
    const headMm = map.images.find((i) => i.imageId === defect.imageId)!.positionMm
    thumbnails.push(await renderThumbnail({
      imagePath: join(source.folderPath, image.relativePath), sha256: image.sha256, rle,
      bbox: pixelColumns(defect, headMm, map), color: colour.get(defect.classId) ?? '#ff00ff',
    }))
  }
  return thumbnails
}

/** The defect's image columns (x and width in pixels), for centring the crop: the coil box mapped back. */
function pixelColumns(d: CoilDefect, headMm: number, map: CoilMap): [number, number, number, number] {
  const g = map.geometry
  const [fromMm, toMm] = g.alongAxis === 'x' ? [d.box.alongFromMm - headMm, d.box.alongToMm - headMm] : [d.box.acrossFromMm, d.box.acrossToMm]
  return [Math.round(fromMm / g.mmPerPixelX), 0, Math.round((toMm - fromMm) / g.mmPerPixelX), 0]
}

function galleryHtml(map: CoilMap, gallery: readonly CoilDefect[], thumbnails: readonly Thumbnail[], classes: readonly ModelSetClass[]): string {
  const byId = new Map(classes.map((c) => [c.id, c]))
  const cards = gallery.map((d, k) => {
    const image = map.images.find((i) => i.imageId === d.imageId)!
    const thumb = thumbnails[k]
    const picture = thumb?.ok ? `<img src="${thumb.dataUri}" alt="${esc(image.relativePath)} class ${d.classId}">` : `<div class="missing">${esc(thumb?.reason ?? 'no thumbnail')}</div>`
    const c = byId.get(d.classId)
    return `<figure class="card" style="margin:0" data-image="${esc(image.relativePath)}" data-class="${d.classId}">
  <div class="frame">${picture}</div>
  <figcaption class="caption"><span class="rank">${k + 1}</span><b><span class="swatch" style="background:${esc(c?.color ?? '#f0f')}"></span>${esc(c?.name ?? `class ${d.classId}`)}</b> · ${fmt(d.areaMm2)} mm²<br>
  <span class="mono">${esc(image.relativePath)}</span> · at ${fmt(d.box.alongFromMm / 1000)} m, ${fmt(d.box.acrossFromMm)}–${fmt(d.box.acrossToMm)} mm across</figcaption>
</figure>`
  })
  const body = cards.length ? `<div class="gallery">${cards.join('')}</div>` : '<p class="muted">No defects.</p>'
  return `<section class="gallery-section"><h2>Gallery: the ${cards.length} largest defects</h2>${body}</section>`
}

function decisionHistory(store: Store, coilId: number): string {
  const rows = store.disposition.decisions(coilId).map((d) => {
    const set = store.disposition.getRuleSet(d.ruleSetId)
    return `<tr><td>${new Date(d.createdAtMs).toISOString().slice(0, 16).replace('T', ' ')} UTC</td><td>${esc(d.author)}</td><td>${d.action}</td>` +
      `<td>${d.proposed}</td><td><strong>${d.disposition}</strong></td><td>${esc(set ? `${set.name} v${set.version}` : '?')}</td><td>run #${d.runId}</td><td>${esc(d.note)}</td></tr>`
  })
  if (rows.length === 0) return '<section data-section="decisions"><h2>Decisions</h2><p class="muted">No decision yet.</p></section>'
  return `<section data-section="decisions"><h2>Decisions (oldest first; the last is current)</h2>
<table><thead><tr><th>when</th><th>who</th><th>action</th><th>proposed</th><th>disposition</th><th>rule set</th><th>run</th><th>note</th></tr></thead>
<tbody>${rows.join('')}</tbody></table></section>`
}

/** Who reviewed the coil's images: mask edits and review statuses per person. */
function reviewers(store: Store, map: CoilMap): string {
  const people = new Map<string, { edits: number; reviewed: number; last: number }>()
  const of = (author: string) => people.get(author) ?? people.set(author, { edits: 0, reviewed: 0, last: 0 }).get(author)!
  const reviews = store.reviews.currentForImages(map.images.map((i) => i.imageId))
  for (const image of map.images) {
    for (const edit of store.edits.listForImage(image.imageId)) {
      const p = of(edit.author)
      p.edits++
      p.last = Math.max(p.last, edit.createdAtMs)
    }
    const review = reviews.get(image.imageId)
    if (review && review.status !== 'unreviewed') {
      const p = of(review.author)
      p.reviewed++
      p.last = Math.max(p.last, review.createdAtMs)
    }
  }
  const rows = [...people].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, p]) =>
    `<tr><td>${esc(name)}</td><td class="num">${p.edits}</td><td class="num">${p.reviewed}</td><td>${new Date(p.last).toISOString().slice(0, 16).replace('T', ' ')} UTC</td></tr>`)
  const body = rows.length
    ? `<table><thead><tr><th>reviewer</th><th>mask edits</th><th>images triaged</th><th>last</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
    : '<p class="muted">No image of this coil was reviewed.</p>'
  return `<section data-section="reviewers"><h2>Reviewers of ${map.images.length} images (${esc(basename(map.summary.source))})</h2>${body}</section>`
}
