// The masks the Review screen shows, one answer for every panel: the strip viewer draws them, the
// defects list and the minimap list their regions, so the three agree by construction. Outside a
// comparison they are the run's own (the human mask where a class was edited, else the model's
// under the sliders); while comparing, one side's masks, or in the difference view both sides
// (drawn by side, listed as their union with each region's area on either side).
import { findLabelledRegions, type Region } from './regions.ts'

/** Which side of a comparison is drawn: both as their difference, or A's or B's alone. */
export type ComparedView = 'diff' | 'a' | 'b'

export type MaskPair = readonly [a: Uint8Array, b: Uint8Array]

export interface MasksOnScreen {
  /** 'own': the run under review as the inspector left it; otherwise the comparison's view. */
  readonly side: 'own' | ComparedView
  /** Per class, every pixel drawn; in the difference, A ∪ B. */
  readonly perClass: readonly Uint8Array[]
  /** While comparing, per class [A, B] (the difference colours each pixel by side); else null. */
  readonly pairs: readonly MaskPair[] | null
}

/** The masks on screen: `own` unless a comparison's masks for the image are given. */
export function masksOnScreen(own: readonly Uint8Array[], compared: { readonly masks: readonly MaskPair[]; readonly view: ComparedView } | null): MasksOnScreen {
  if (!compared) return { side: 'own', perClass: own, pairs: null }
  const { masks, view } = compared
  return { side: view, perClass: masks.map(([a, b]) => (view === 'a' ? a : view === 'b' ? b : union(a, b))), pairs: masks }
}

function union(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length)
  for (let i = 0; i < a.length; i++) out[i] = a[i] | b[i]
  return out
}

export type ShownRegion = Region & {
  readonly classId: number
  /** In the difference view: the region's pixels on side A and on side B. */
  readonly sides?: { readonly areaA: number; readonly areaB: number }
}

/** The connected regions of what is shown, every class, largest first. */
export function shownRegions(shown: MasksOnScreen, classIds: readonly number[], height: number, width: number): ShownRegion[] {
  return classIds
    .flatMap((classId, c) => {
      const mask = shown.perClass[c]
      if (!mask) return []
      const { regions, labels } = findLabelledRegions(mask, height, width)
      const pair = shown.side === 'diff' ? shown.pairs?.[c] : undefined
      if (!pair) return regions.map((r) => ({ ...r, classId }))
      const areaA = new Int32Array(regions.length)
      const areaB = new Int32Array(regions.length)
      for (let i = 0; i < labels.length; i++) {
        const label = labels[i]
        if (label === 0) continue
        if (pair[0][i] !== 0) areaA[label - 1]++
        if (pair[1][i] !== 0) areaB[label - 1]++
      }
      return regions.map((r, k) => ({ ...r, classId, sides: { areaA: areaA[k], areaB: areaB[k] } }))
    })
    .sort((x, y) => y.areaPx - x.areaPx)
}

/** Whose masks are shown, in words each panel prints: the run's own, A's, B's, or both. */
export function describeShownMasks(side: MasksOnScreen['side'], names: { readonly own: string; readonly a?: string; readonly b?: string }): string {
  if (side === 'a') return `A: ${names.a}`
  if (side === 'b') return `B: ${names.b}`
  if (side === 'diff') return `A and B: ${names.a} and ${names.b} — their union, each region's area on either side`
  return names.own
}
