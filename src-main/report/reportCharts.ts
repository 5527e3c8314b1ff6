// The report's charts as static SVG: Vega-Lite specifications compiled to Vega and rendered
// headless in Node (no browser, no canvas: text widths are estimated). Sizes are CSS pixels for
// an A4 page with 12 mm margins (186 mm ≈ 700 px). Vega loads on first use, not with the CLI.
import type { CoilAlong } from './coilPositions.ts'
import type { TopLevelSpec } from 'vega-lite'
import type { ReportData } from './reportData.ts'

export interface ReportCharts {
  readonly perClass: string
  readonly areas: string
  readonly positions: string
}

const FONT = 'Liberation Sans, Arial, Helvetica, sans-serif'
/** Whole-chart widths in CSS px, axes included: half and full A4 text width. */
const HALF_WIDTH = 345
/** The positions chart is a concatenation, which cannot be fitted: its plots get a fixed width. */
const PLOT_WIDTH = 655
const FIT = { type: 'fit', contains: 'padding' } as const
const CONFIG = {
  font: FONT,
  view: { stroke: null },
  axis: { labelFontSize: 9.5, titleFontSize: 9.5, titleFontWeight: 'normal', titleColor: '#333', labelColor: '#333', gridColor: '#e6e6e6', domainColor: '#888', tickColor: '#888' },
  legend: { labelFontSize: 9, titleFontSize: 9, symbolSize: 60, orient: 'top', direction: 'horizontal', title: null },
  title: { fontSize: 10.5, fontWeight: 'bold', anchor: 'start', color: '#111', offset: 6 },
  background: 'white',
  padding: 4,
} as const

/** `along`: where the source's coils place each defect; the positions chart then runs in metres. */
export async function renderReportCharts(data: ReportData, along: CoilAlong | null = null): Promise<ReportCharts> {
  const names = data.classes.map((c) => `${c.id} ${c.name}`)
  const colours = data.classes.map((c) => c.color)
  const classOf = new Map(data.classes.map((c) => [c.id, `${c.id} ${c.name}`]))
  const colour = { field: 'class', type: 'nominal', scale: { domain: names, range: colours }, legend: null } as const
  // A large source's charts draw an even sample of its masks, and say so.
  const sampled = data.defects.length < data.limits.totalDefects ? ` (an even sample: ${data.defects.length} of ${data.limits.totalDefects} masks)` : ''
  const metres = along ? data.defects.map((d) => along.metresOf(d)) : []
  const inMetres = along !== null && metres.every((m) => m !== null)
  const defects = data.defects.map((d, k) => ({ class: classOf.get(d.classId) ?? String(d.classId), area: d.areaPx, x: d.centroidX, frame: inMetres ? metres[k] : d.frame, image: d.image }))
  const lengthAxis = inMetres
    ? { title: `along the coil from its head, m${along!.coils > 1 ? ` (${along!.coils} coils overlaid)` : ''}`, domain: [0, Math.max(along!.longestM, 0.001)], axis: { format: ',.1f' } }
    : { title: 'image # (file order)', domain: [0, Math.max(1, data.summary.images - 1)], axis: { tickMinStep: 1, format: 'd' } }
  const [perClass, areas, positions] = await Promise.all([
    toSvg({
      title: 'Images with each defect class',
      autosize: FIT,
      width: HALF_WIDTH,
      height: 30 + 20 * names.length,
      data: { values: data.summary.perClass.map((p) => ({ class: classOf.get(p.classId), images: p.images })) },
      layer: [
        { mark: { type: 'bar', height: 13 }, encoding: { color: colour } },
        { mark: { type: 'text', align: 'left', dx: 3, fontSize: 10 }, encoding: { text: { field: 'images', type: 'quantitative' } } },
      ],
      encoding: {
        y: { field: 'class', type: 'nominal', sort: names, title: null },
        x: { field: 'images', type: 'quantitative', title: 'images', axis: { tickMinStep: 1, format: 'd' }, scale: { domainMin: 0, nice: true } },
      },
    }),
    toSvg({
      title: `Mask area distribution${sampled}`,
      autosize: FIT,
      width: HALF_WIDTH,
      height: 30 + 20 * names.length,
      data: { values: defects },
      transform: [{ calculate: 'log(datum.area) / LN10', as: 'log10Area' }],
      mark: { type: 'bar', binSpacing: 1 },
      encoding: {
        x: {
          field: 'log10Area',
          type: 'quantitative',
          bin: { step: 0.25, extent: [1, 5.75] },
          title: 'area per image and class, px (log scale)',
          axis: { values: [1, 2, 3, 4, 5], labelExpr: "format(pow(10, datum.value), ',d')" },
        },
        y: { aggregate: 'count', type: 'quantitative', title: 'masks', axis: { tickMinStep: 1, format: 'd' } },
        color: colour,
      },
    }),
    toSvg({
      title: `Defect positions: mask centroids, dot size = area${sampled}`,
      spacing: 4,
      data: { values: defects },
      vconcat: [
        {
          width: PLOT_WIDTH,
          height: 40,
          mark: { type: 'bar', binSpacing: 1 },
          encoding: {
            x: { field: 'x', type: 'quantitative', bin: { step: 50, extent: [0, 1600] }, axis: null, scale: { domain: [0, 1600] } },
            y: { aggregate: 'count', type: 'quantitative', title: 'masks', axis: { tickMinStep: 1, format: 'd', tickCount: 3 } },
            color: colour,
          },
        },
        {
          width: PLOT_WIDTH,
          height: 195,
          mark: { type: 'circle', opacity: 0.75, stroke: '#222', strokeWidth: 0.4 },
          encoding: {
            x: { field: 'x', type: 'quantitative', title: 'across the strip width (image column, px)', scale: { domain: [0, 1600], nice: false }, axis: { values: [0, 200, 400, 600, 800, 1000, 1200, 1400, 1600] } },
            y: { field: 'frame', type: 'quantitative', title: lengthAxis.title, scale: { domain: lengthAxis.domain, nice: false, reverse: true }, axis: lengthAxis.axis },
            size: { field: 'area', type: 'quantitative', scale: { type: 'sqrt', range: [10, 360] }, legend: null },
            color: colour,
          },
        },
      ],
    }),
  ])
  return { perClass, areas, positions }
}

async function toSvg(spec: Record<string, unknown>): Promise<string> {
  const [{ parse, View }, { compile }] = await Promise.all([import('vega'), import('vega-lite')])
  const full = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', config: CONFIG, ...spec } as unknown as TopLevelSpec
  const view = new View(parse(compile(full).spec), { renderer: 'none' })
  try {
    return await view.toSVG()
  } finally {
    view.finalize()
  }
}
