// The Review screen's keys in one table: the key handler looks commands up here and the shortcut
// sheet lists the same rows, so the two cannot drift apart. Keys are KeyboardEvent.key values
// (letters lower-case); rows with `keys: []` are pointer gestures the sheet explains.
export type ReviewCommand =
  | 'next' | 'previous' | 'nextUnreviewed'
  | 'brush' | 'eraser' | 'fill' | 'pan'
  | 'brushSmaller' | 'brushLarger'
  | 'accept' | 'reject' | 'flag' | 'note'
  | 'opacity' | 'hideOverlays'
  | 'fit' | 'fill-viewer' | 'zoomIn' | 'zoomOut'
  | 'undo' | 'redo'
  | 'contactSheet'
  | 'compareFlip'
  | 'shortcuts'

export interface KeymapRow {
  /** What the sheet shows in the key column. */
  readonly label: string
  readonly description: string
  readonly command: ReviewCommand | null
  readonly keys: readonly string[]
  /** Ctrl (⌘ on a Mac) must be held; with `shift`, Shift too. */
  readonly mod?: boolean
  readonly shift?: boolean
}

export const REVIEW_KEYMAP: readonly KeymapRow[] = [
  { label: '→ / ←', description: 'next / previous image', command: null, keys: [] },
  { label: '→', description: 'next image', command: 'next', keys: ['ArrowRight'] },
  { label: '←', description: 'previous image', command: 'previous', keys: ['ArrowLeft'] },
  { label: 'N', description: 'next unreviewed', command: 'nextUnreviewed', keys: ['n'] },
  { label: 'A / R / F', description: 'accept / reject / flag (then the next unreviewed image, if "Advance after triage" is on)', command: null, keys: [] },
  { label: 'A', description: 'accept', command: 'accept', keys: ['a'] },
  { label: 'R', description: 'reject', command: 'reject', keys: ['r'] },
  { label: 'F', description: 'flag', command: 'flag', keys: ['f'] },
  { label: 'K', description: 'contact sheet: look over and accept many images at once', command: 'contactSheet', keys: ['k'] },
  { label: 'M', description: 'write a note (Enter flags with it, Esc leaves any field)', command: 'note', keys: ['m'] },
  { label: '1–4', description: 'select a class', command: null, keys: [] },
  { label: 'B / E / G', description: 'brush / eraser / fill (painting only after one of these)', command: null, keys: [] },
  { label: 'B', description: 'brush', command: 'brush', keys: ['b'] },
  { label: 'E', description: 'eraser', command: 'eraser', keys: ['e'] },
  { label: 'G', description: 'fill', command: 'fill', keys: ['g'] },
  { label: 'P', description: 'pan (the default tool)', command: 'pan', keys: ['p'] },
  { label: 'Space + drag', description: 'pan with any tool (or right-drag)', command: null, keys: [] },
  { label: '[ / ]', description: 'brush smaller / larger', command: null, keys: [] },
  { label: '[', description: 'brush smaller', command: 'brushSmaller', keys: ['['] },
  { label: ']', description: 'brush larger', command: 'brushLarger', keys: [']'] },
  { label: 'Wheel', description: 'zoom around the cursor', command: null, keys: [] },
  { label: '+ / −', description: 'zoom in / out', command: null, keys: [] },
  { label: '+', description: 'zoom in', command: 'zoomIn', keys: ['+', '='] },
  { label: '−', description: 'zoom out', command: 'zoomOut', keys: ['-'] },
  { label: '0', description: 'fit to width', command: 'fit', keys: ['0'] },
  { label: 'W', description: 'fill the viewer (the strip as tall as the viewer allows)', command: 'fill-viewer', keys: ['w'] },
  { label: 'O', description: 'cycle overlay opacity', command: 'opacity', keys: ['o'] },
  { label: 'H', description: 'hide overlays', command: 'hideOverlays', keys: ['h'] },
  { label: 'Ctrl+Z', description: 'undo a stroke (or a revert)', command: 'undo', keys: ['z'], mod: true },
  { label: 'Ctrl+Shift+Z', description: 'redo', command: 'redo', keys: ['z'], mod: true, shift: true },
  { label: 'X', description: 'comparison (opened from Compare): A\'s masks, B\'s masks, the difference (A only / B only / both)', command: 'compareFlip', keys: ['x'] },
  { label: '?', description: 'this sheet', command: 'shortcuts', keys: ['?'] },
]

/** The rows the sheet shows: a grouped row stands for its single-key rows, which are not repeated. */
export function sheetRows(keymap: readonly KeymapRow[] = REVIEW_KEYMAP): KeymapRow[] {
  const grouped = keymap.filter((r) => r.command === null).flatMap((r) => r.label.split(' / '))
  return keymap.filter((r) => r.command === null || !grouped.includes(r.label))
}

/** The command a key press means, or null. */
export interface KeyPress {
  readonly key: string
  readonly ctrlKey: boolean
  readonly metaKey: boolean
  readonly shiftKey: boolean
  readonly altKey: boolean
}

export function commandFor(event: KeyPress, keymap: readonly KeymapRow[] = REVIEW_KEYMAP): ReviewCommand | null {
  if (event.altKey) return null
  const isMod = event.ctrlKey || event.metaKey
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key
  const row = keymap.find((r) => r.command !== null && r.keys.includes(key) && !!r.mod === isMod && (!r.mod || !!r.shift === event.shiftKey))
  return row?.command ?? null
}
