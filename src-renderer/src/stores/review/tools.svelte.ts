// How the inspector looks and works: the class being edited, the tool, the brush, the overlays and
// the zoom. No API: it is the screen's own state (what survives a reload is in lib/reviewSession.ts).
import type { OverlayMode } from '../../lib/overlay.ts'
import type { ReviewSession } from '../../lib/reviewSession.ts'

export type Tool = 'brush' | 'eraser' | 'fill' | 'pan'
export const TOOLS: readonly Tool[] = ['brush', 'eraser', 'fill', 'pan']

export class ReviewTools {
  selectedClass = $state(1)
  /** Pan by default: a drag meant to move the view must never paint. */
  tool = $state<Tool>('pan')
  brushRadius = $state(8)
  opacity = $state(0.45)
  overlayMode = $state<OverlayMode>('fill')
  visible = $state<boolean[]>([true, true, true, true])
  overlaysHidden = $state(false)
  /** The zoom, with the image and viewer width it was set for (a new image or width fits again). */
  zoom = $state.raw<ReviewSession['viewport']>(null)

  constructor(saved: ReviewSession | null) {
    if (!saved) return
    this.tool = TOOLS.find((t) => t === saved.tool) ?? 'pan'
    this.selectedClass = saved.selectedClass
    this.brushRadius = saved.brushRadius
    this.zoom = saved.viewport
  }

  setBrushRadius(radius: number): void {
    this.brushRadius = Math.max(1, Math.min(60, radius))
  }

  /** Steps the overlay opacity up, back to faint after full. */
  stepOpacity(): void {
    this.opacity = this.opacity >= 0.85 ? 0.15 : Math.round((this.opacity + 0.2) * 100) / 100
  }
}
