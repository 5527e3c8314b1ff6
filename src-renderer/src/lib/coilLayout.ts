// Where the coil map draws things: a view window along the coil (mm from the head) mapped onto the
// canvas width, the coil's width onto the canvas height. Pure, so zoom, pan and hit-testing are
// tested without a browser.
import type { CoilBox } from '../../../src-shared/coilGeometry.ts'

export interface CoilView {
  /** Millimetres from the head at the canvas's left and right edges. */
  readonly fromMm: number
  readonly toMm: number
}

export interface CanvasSize {
  readonly width: number
  readonly height: number
}

export interface CanvasRect {
  readonly x: number
  readonly y: number
  readonly w: number
  readonly h: number
}

/** Smallest stretch of coil the view may show, so zoom stops at a sensible magnification. */
const MIN_VIEW_MM = 100

export function wholeCoil(lengthMm: number): CoilView {
  return { fromMm: 0, toMm: Math.max(lengthMm, 1) }
}

/** A box on the coil in canvas pixels; tiny defects stay at least one pixel wide and tall. */
export function boxToCanvas(box: CoilBox, view: CoilView, widthMm: number, size: CanvasSize): CanvasRect {
  const sx = size.width / (view.toMm - view.fromMm)
  const sy = size.height / Math.max(widthMm, 1)
  return {
    x: (box.alongFromMm - view.fromMm) * sx,
    y: box.acrossFromMm * sy,
    w: Math.max(1, (box.alongToMm - box.alongFromMm) * sx),
    h: Math.max(1, (box.acrossToMm - box.acrossFromMm) * sy),
  }
}

export function canvasXToMm(x: number, view: CoilView, size: CanvasSize): number {
  return view.fromMm + (x / size.width) * (view.toMm - view.fromMm)
}

/** Zooms by `factor` (< 1 in) keeping the point under canvas x fixed, within the coil. */
export function zoomView(view: CoilView, factor: number, x: number, size: CanvasSize, lengthMm: number): CoilView {
  const anchor = canvasXToMm(x, view, size)
  const span = Math.min(Math.max((view.toMm - view.fromMm) * factor, MIN_VIEW_MM), Math.max(lengthMm, 1))
  const fromMm = anchor - ((anchor - view.fromMm) / (view.toMm - view.fromMm)) * span
  return clampView({ fromMm, toMm: fromMm + span }, lengthMm)
}

/** Moves the view by `dx` canvas pixels (positive: towards the head), within the coil. */
export function panView(view: CoilView, dx: number, size: CanvasSize, lengthMm: number): CoilView {
  const shift = (-dx / size.width) * (view.toMm - view.fromMm)
  return clampView({ fromMm: view.fromMm + shift, toMm: view.toMm + shift }, lengthMm)
}

function clampView(view: CoilView, lengthMm: number): CoilView {
  const span = view.toMm - view.fromMm
  const fromMm = Math.min(Math.max(view.fromMm, 0), Math.max(lengthMm - span, 0))
  return { fromMm, toMm: fromMm + span }
}

/** Index of the topmost rect (drawn last) under the point, or -1. */
export function hitTest(rects: readonly CanvasRect[], x: number, y: number, slackPx = 2): number {
  for (let i = rects.length - 1; i >= 0; i--) {
    const r = rects[i]
    if (x >= r.x - slackPx && x <= r.x + r.w + slackPx && y >= r.y - slackPx && y <= r.y + r.h + slackPx) return i
  }
  return -1
}

/** Defects of each class per metre from the head (metre k counts defects whose head lies in [k m, k+1 m)). */
export function densityPerMetre(
  defects: readonly { readonly classId: number; readonly box: CoilBox }[],
  classIds: readonly number[],
  lengthMm: number,
): Map<number, number[]> {
  const metres = Math.max(1, Math.ceil(lengthMm / 1000))
  const density = new Map(classIds.map((id) => [id, new Array<number>(metres).fill(0)]))
  for (const d of defects) {
    const row = density.get(d.classId)
    if (row) row[Math.min(metres - 1, Math.floor(d.box.alongFromMm / 1000))]++
  }
  return density
}
