// Which rows of a fixed-height list to render: the visible ones plus a few either side, so a
// 10,000-row list keeps a few dozen rows in the DOM whatever the scroll position.

export interface RowWindow {
  /** First row to render (inclusive). */
  readonly start: number
  /** Row after the last to render (exclusive). */
  readonly end: number
}

export function visibleRows(scrollTopPx: number, viewportHeightPx: number, rowHeightPx: number, rowCount: number, overscan = 6): RowWindow {
  if (rowCount <= 0 || rowHeightPx <= 0) return { start: 0, end: 0 }
  const first = Math.floor(Math.max(0, scrollTopPx) / rowHeightPx)
  const visible = Math.ceil(Math.max(0, viewportHeightPx) / rowHeightPx) + 1
  const start = Math.max(0, Math.min(first, rowCount - 1) - overscan)
  const end = Math.min(rowCount, first + visible + overscan)
  return { start, end }
}

/** The scroll position that brings `row` fully into view, or null when it already is. */
export function scrollToShow(row: number, scrollTopPx: number, viewportHeightPx: number, rowHeightPx: number): number | null {
  const top = row * rowHeightPx
  if (top < scrollTopPx) return top
  if (top + rowHeightPx > scrollTopPx + viewportHeightPx) return top + rowHeightPx - viewportHeightPx
  return null
}
