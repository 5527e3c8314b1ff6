import assert from 'node:assert/strict'
import { test } from 'node:test'
import { commandFor, REVIEW_KEYMAP, sheetRows } from '../../src-renderer/src/lib/reviewKeymap.ts'

const press = (key: string, mods: { ctrl?: boolean; shift?: boolean; alt?: boolean } = {}) => ({ key, ctrlKey: !!mods.ctrl, metaKey: false, shiftKey: !!mods.shift, altKey: !!mods.alt })

test('keys map to commands through the one table', () => {
  const cases: [ReturnType<typeof press>, string | null][] = [
    [press('ArrowRight'), 'next'],
    [press('ArrowLeft'), 'previous'],
    [press('A', { shift: true }), 'accept'],
    [press('a'), 'accept'],
    [press('+', { shift: true }), 'zoomIn'],
    [press('='), 'zoomIn'],
    [press('-'), 'zoomOut'],
    [press('z', { ctrl: true }), 'undo'],
    [press('Z', { ctrl: true, shift: true }), 'redo'],
    [press('z'), null],
    [press('a', { ctrl: true }), null],
    [press('a', { alt: true }), null],
    [press('m'), 'note'],
    [press('?', { shift: true }), 'shortcuts'],
    [press('x'), 'compareFlip'],
    [press('q'), null],
  ]
  for (const [event, command] of cases) assert.equal(commandFor(event), command, JSON.stringify(event))
})

test('the shortcut sheet shows every command the handler knows (zoom included), each once', () => {
  const rows = sheetRows()
  const shown = rows.flatMap((r) => r.label.split(' / '))
  for (const row of REVIEW_KEYMAP.filter((r) => r.command !== null)) assert.ok(shown.includes(row.label), `${row.command} (${row.label}) is on the sheet`)
  assert.ok(shown.includes('+') && shown.includes('−'), 'zoom keys are listed')
  assert.equal(new Set(rows.map((r) => r.label)).size, rows.length, 'no row twice')
  assert.ok(!rows.some((r) => r.label === 'A'), 'a key listed in a group row is not repeated alone')
})

test('no key means two commands', () => {
  const seen = new Map<string, string>()
  for (const row of REVIEW_KEYMAP.filter((r) => r.command !== null)) {
    for (const key of row.keys) {
      const id = `${row.mod ? 'mod+' : ''}${row.shift ? 'shift+' : ''}${key}`
      assert.ok(!seen.has(id), `${id} is bound to ${seen.get(id)} and ${row.command}`)
      seen.set(id, row.command!)
    }
  }
})
