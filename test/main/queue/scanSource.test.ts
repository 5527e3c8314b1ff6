// A source folder with a sub-folder per coil is scanned as one source, into a real SQLite file:
// images in sub-folders are recorded under their path from the source, and a hostile tree — a link
// looping back, a tree deeper than the scan enters, hidden folders, the library's own exports kept
// inside the source — neither hangs the scan nor brings in files that are not the source's images;
// every folder left out is named with the reason.
import assert from 'node:assert/strict'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { scanSource } from '../../../src-main/queue/scanSource.ts'
import { openStore } from '../../../src-main/store/index.ts'
import { tempDir, writeBlockImages } from '../../helpers/images.ts'

test('coil sub-folders are one source; loops, deep trees, hidden folders and the exports folder are set aside by name', async () => {
  const root = tempDir('coilscope-scan-')
  const outside = tempDir('coilscope-scan-outside-')
  for (const dir of ['C01/2026-11-30', 'C02', '.thumbnails', 'exports/3', 'a/b/c/d']) mkdirSync(join(root, dir), { recursive: true })
  await writeBlockImages(join(root, 'C01'), 2, 0)
  await writeBlockImages(join(root, 'C01/2026-11-30'), 1, 2)
  await writeBlockImages(join(root, 'C02'), 1, 3)
  await writeBlockImages(join(root, '.thumbnails'), 1, 4)
  await writeBlockImages(join(root, 'exports/3'), 1, 5)
  await writeBlockImages(join(root, 'a/b/c'), 1, 6) // three levels down: entered
  await writeBlockImages(join(root, 'a/b/c/d'), 1, 7) // four: not
  await writeBlockImages(outside, 1, 8)
  writeFileSync(join(root, 'C02', 'notes.txt'), 'shift 2')
  symlinkSync(root, join(root, 'C01', 'loop')) // back to the source: a loop
  symlinkSync(join(root, 'C02'), join(root, 'C02-again')) // a second name for a folder
  symlinkSync(outside, join(root, 'C03')) // a coil folder kept elsewhere, linked in
  symlinkSync(join(root, 'missing'), join(root, 'dangling'))

  const store = openStore(join(root, 'library.db')) // the library inside its source: its exports are not images
  try {
    const scan = await scanSource(store, root)
    assert.deepEqual(scan.images.map((i) => i.relativePath), [
      'C01/2026-11-30/coil-0002.jpg', 'C01/coil-0000.jpg', 'C01/coil-0001.jpg', 'C02/coil-0003.jpg', 'C03/coil-0008.jpg', 'a/b/c/coil-0006.jpg',
    ])
    assert.deepEqual(scan.subfolders, [
      '.thumbnails (a hidden folder)',
      'C01/loop (a link to a folder already scanned)',
      'C02-again (a link to a folder already scanned)',
      'a/b/c/d (deeper than 3 levels below the source)',
      "exports (the library's export folder)",
    ])
    const library = scan.skipped.filter((s) => s.path.startsWith(join(root, 'library.db')))
    assert.ok(library.length > 0 && library.every((s) => s.reason === 'not an image'), 'the database files are noted, not inspected')
    assert.deepEqual(scan.skipped.filter((s) => !library.includes(s)).map((s) => [s.path, s.reason]), [
      [join(root, 'C02', 'notes.txt'), 'not an image'],
      [join(root, 'dangling'), 'cannot read (ENOENT)'],
    ])
    assert.deepEqual(store.images.listBySource(scan.source.id).map((i) => i.relativePath).sort(), scan.images.map((i) => i.relativePath).sort(),
      'only the images are recorded')
  } finally {
    store.close()
  }
})
