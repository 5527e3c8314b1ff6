// `coilscope score` refuses broken input with `file:line: what is wrong` and exit 2, instead of
// printing a number: table-driven through the real CLI.
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { runCli } from '../../helpers/cli.ts'
import { tempDir } from '../../helpers/images.ts'

const dir = tempDir()
const truth = join(dir, 'truth.csv')
writeFileSync(truth, 'ImageId,ClassId,EncodedPixels\na.jpg,1,1 10\nb.jpg,3,5 5\n')
const LAST = 256 * 1600

/** Predictions in the 2019 form: a.jpg's four rows (class 1 given), then b.jpg's, the line to test being line 2. */
const rows2019 = (classOne: string, extra = '') => `ImageId_ClassId,EncodedPixels\na.jpg_1,${classOne}\na.jpg_2,\na.jpg_3,\na.jpg_4,\n${extra}`

const cases: [string, string, string][] = [
  ['odd count', rows2019('1 10 20'), '2: image a.jpg class 1: RLE has an odd number of values (3)'],
  ['overlapping runs', rows2019('1 10 5 10'), '2: image a.jpg class 1: RLE pair 2 (start 5) is unsorted or overlaps'],
  ['unsorted starts', rows2019('30 2 1 10'), '2: image a.jpg class 1: RLE pair 2 (start 1) is unsorted or overlaps'],
  ['negative length', rows2019('1 -10'), '2: image a.jpg class 1: RLE pair 1 is not two positive integers: "1 -10"'],
  ['negative start', rows2019('-1 10'), '2: image a.jpg class 1: RLE pair 1 is not two positive integers: "-1 10"'],
  ['zero length', rows2019('1 0'), '2: image a.jpg class 1: RLE pair 1 is not two positive integers: "1 0"'],
  ['run past the image', rows2019(`${LAST} 2`), '2: image a.jpg class 1: RLE pair 1 runs past the 256×1600 image'],
  ['non-numeric value', rows2019('1 ten'), '2: image a.jpg class 1: RLE pair 1 is not two positive integers: "1 ten"'],
  ['float value', rows2019('1.5 10'), '2: image a.jpg class 1: RLE pair 1 is not two positive integers: "1.5 10"'],
  ['hex value', rows2019('0x10 2'), '2: image a.jpg class 1: RLE pair 1 is not two positive integers: "0x10 2"'],
  ['duplicate row', rows2019('1 10', 'a.jpg_1,1 10\n'), '6: image a.jpg class 1 again (first on line 2)'],
  ['duplicate empty row', rows2019('', 'a.jpg_3,\n'), '6: image a.jpg class 3 again (first on line 4)'],
  ['float class', 'ImageId,ClassId,EncodedPixels\na.jpg,1.5,1 10\n', '2: class "1.5" is not a positive integer'],
  ['exponent class', 'ImageId,ClassId,EncodedPixels\na.jpg,1e0,1 10\n', '2: class "1e0" is not a positive integer'],
  ['duplicate in the current form', 'ImageId,ClassId,EncodedPixels\na.jpg,1,1 10\nb.jpg,3,5 5\na.jpg,1,20 5\n', '4: image a.jpg class 1 again (first on line 2)'],
]

for (const [name, text, problem] of cases) {
  test(`score refuses ${name}: exit 2, file:line and what is wrong`, () => {
    const predicted = join(dir, `${name.replaceAll(' ', '-')}.csv`)
    writeFileSync(predicted, text)
    const run = runCli(['score', predicted, truth])
    assert.equal(run.status, 2, run.stdout)
    assert.equal(run.stdout, '', 'no score printed')
    assert.equal(run.stderr.trim(), `coilscope: ${predicted}:${problem}`)
  })
}

test('the same checks apply to the truth file, and valid files still score', () => {
  const predicted = join(dir, 'good.csv')
  writeFileSync(predicted, rows2019('1 10', 'b.jpg_1,\nb.jpg_2,\nb.jpg_3,5 5\nb.jpg_4,\n'))
  const good = runCli(['score', predicted, truth])
  assert.equal(good.status, 0, good.stderr)
  assert.match(good.stdout, /^Mean Dice 1\.0000 over 8/)
  const badTruth = join(dir, 'bad-truth.csv')
  writeFileSync(badTruth, 'ImageId,ClassId,EncodedPixels\na.jpg,1,1 10 5\n')
  const run = runCli(['score', predicted, badTruth])
  assert.equal(run.status, 2)
  assert.equal(run.stderr.trim(), `coilscope: ${badTruth}:2: image a.jpg class 1: RLE has an odd number of values (3)`)
})
