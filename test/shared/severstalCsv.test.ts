import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatSeverstalCsv, parseSeverstalCsv } from '../../src-shared/severstalCsv.ts'

const masks = [
  { imageId: 'a.jpg', classId: 3, rle: '5 10 40 2' },
  { imageId: 'b.jpg', classId: 1, rle: '1 1' },
  { imageId: 'b.jpg', classId: 4, rle: '100 7' },
]
const imageIds = ['a.jpg', 'b.jpg', 'c.jpg']

test('kaggle2019 writes four rows per image, empty masks blank', () => {
  const text = formatSeverstalCsv('kaggle2019', imageIds, [1, 2, 3, 4], masks)
  const lines = text.trim().split('\n')
  assert.equal(lines[0], 'ImageId_ClassId,EncodedPixels')
  assert.equal(lines.length, 1 + 12)
  assert.equal(lines[1], 'a.jpg_1,')
  assert.equal(lines[3], 'a.jpg_3,5 10 40 2')
  assert.equal(lines[12], 'c.jpg_4,')
})

test('kaggle writes non-empty rows only', () => {
  const text = formatSeverstalCsv('kaggle', imageIds, [1, 2, 3, 4], masks)
  assert.equal(text, 'ImageId,ClassId,EncodedPixels\na.jpg,3,5 10 40 2\nb.jpg,1,1 1\nb.jpg,4,100 7\n')
})

test('both forms round-trip, recognised by their header', () => {
  for (const format of ['kaggle2019', 'kaggle'] as const) {
    const table = parseSeverstalCsv(formatSeverstalCsv(format, imageIds, [1, 2, 3, 4], masks), 'x.csv')
    assert.equal(table.format, format)
    assert.deepEqual(table.masks, masks)
    // The 2019 form names defect-free images too; the current form cannot.
    assert.deepEqual(table.imageIds, format === 'kaggle2019' ? imageIds : ['a.jpg', 'b.jpg'])
  }
})

test('image ids containing underscores split at the last underscore', () => {
  const table = parseSeverstalCsv('ImageId_ClassId,EncodedPixels\nmy_coil_7.jpg_2,3 4\r\n', 'x.csv')
  assert.deepEqual(table.masks, [{ imageId: 'my_coil_7.jpg', classId: 2, rle: '3 4' }])
})

test('bad files are refused naming the file and line', () => {
  assert.throws(() => parseSeverstalCsv('', 'e.csv'), /e\.csv: empty file/)
  assert.throws(() => parseSeverstalCsv('Id,Mask\n', 'h.csv'), /h\.csv: unknown header "Id,Mask"/)
  assert.throws(() => parseSeverstalCsv('ImageId,ClassId,EncodedPixels\na.jpg,x,1 1\n', 'c.csv'), /c\.csv:2: class "x"/)
  assert.throws(() => parseSeverstalCsv('ImageId_ClassId,EncodedPixels\nnounderscore,1 1\n', 'u.csv'), /u\.csv:2: "nounderscore"/)
  assert.throws(() => parseSeverstalCsv('ImageId,ClassId,EncodedPixels\na.jpg,1\n', 'n.csv'), /n\.csv: not a readable CSV/)
})
