// How two sides' masks are drawn over an image, shared by the Compare screen and Review: A only,
// B only and both (the difference), or one side's masks alone in the classes' colours.

import type { ComparedView } from '../../../src-shared/masksOnScreen.ts'

/** 'diff': A only / B only / both; 'a' or 'b': one side's masks alone. */
export type OverlayView = ComparedView

/** The difference's colours, the same whatever the class (the legend's keys). */
export const DIFF_COLOURS = { onlyA: [230, 126, 34], onlyB: [46, 134, 222], both: [255, 255, 255] } as const

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))

/**
 * Writes the overlay into RGBA `pixels` (cleared first): per class, masks[c] = [A, B] at image size.
 * Classes not shown (`isVisible[c]` false) are left out.
 */
export function drawComparison(
  pixels: Uint8ClampedArray,
  masks: readonly (readonly [Uint8Array, Uint8Array])[],
  colors: readonly string[],
  view: OverlayView,
  alpha: number,
  isVisible: readonly boolean[] = [],
): void {
  pixels.fill(0)
  masks.forEach(([a, b], c) => {
    if (isVisible[c] === false) return
    const own = rgb(colors[c] ?? '#ffffff')
    for (let i = 0; i < a.length; i++) {
      const colour =
        view === 'diff' ? (a[i] && b[i] ? DIFF_COLOURS.both : a[i] ? DIFF_COLOURS.onlyA : b[i] ? DIFF_COLOURS.onlyB : null) : (view === 'a' ? a[i] : b[i]) ? own : null
      if (!colour) continue
      pixels[i * 4] = colour[0]
      pixels[i * 4 + 1] = colour[1]
      pixels[i * 4 + 2] = colour[2]
      pixels[i * 4 + 3] = alpha
    }
  })
}

/** The next view the flip key shows: the difference → A → B → the difference. */
export function nextView(view: OverlayView): OverlayView {
  return view === 'diff' ? 'a' : view === 'a' ? 'b' : 'diff'
}
