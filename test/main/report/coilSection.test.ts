// The report's coils section from coil maps: each defect drawn at its scaled place in its class
// colour, image boundaries, per-class counts and areas, the proposal with fired rules, and the
// decision with its version and out-of-date mark; text escaped.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { CoilMap } from '../../../src-shared/coilTypes.ts'
import { renderCoilSection } from '../../../src-main/report/coilSection.ts'

const classes = [{ id: 1, name: 'Pits', color: '#e6b800' }, { id: 2, name: 'Cracks <edge>', color: '#00b3e6' }]
const map: CoilMap = {
  geometry: { alongAxis: 'x', mmPerPixelX: 1, mmPerPixelY: 1 },
  images: [0, 1, 2, 3].map((seq) => ({ imageId: seq + 1, relativePath: `${seq}.jpg`, seq, positionMm: seq * 1600, lengthMm: 1600 })),
  defects: [
    { imageId: 2, classId: 2, areaMm2: 1280, box: { alongFromMm: 3200, alongToMm: 3264, acrossFromMm: 128, acrossToMm: 148 } },
    { imageId: 1, classId: 1, areaMm2: 0.5, box: { alongFromMm: 10, alongToMm: 11, acrossFromMm: 0, acrossToMm: 1 } },
  ],
  summary: {
    id: 7, source: '/line', name: 'K7', images: 4, lengthMm: 6400, widthMm: 256, runId: 3, imagesWithoutResult: 0,
    defectsPerClass: { 1: 1, 2: 1 }, defectAreaMm2PerClass: { 1: 0.5, 2: 1280 },
    proposal: { outcome: 'reject', ruleSet: { name: 'plant', version: 2 }, fired: [{ ruleId: 'crack', outcome: 'reject', reason: 'crack & more', value: 1280, where: [{ imageId: 2, alongFromMm: 3200, alongToMm: 3264, acrossFromMm: 128, acrossToMm: 148 }] }] },
    decision: { id: 1, coilId: 7, runId: 3, ruleSetId: 1, proposed: 'reject', action: 'override', disposition: 'downgrade', note: 'edge only', author: 'ana', createdAtMs: Date.UTC(2026, 10, 30, 6, 5) },
    decisionOutOfDate: true, decisionStaleBecause: ['masks edited since'], decisionRuleSet: { name: 'plant', version: 1 },
  },
}

test('no coils, no section', () => {
  assert.equal(renderCoilSection([], () => map, classes), '')
})

test('defects at their scaled places in class colours (1000 × 60 SVG units for 6,400 × 256 mm), boundaries, facts, decision', () => {
  const html = renderCoilSection([7], () => map, classes)
  assert.match(html, /<rect x="500" y="30" width="10" height="4.7" fill="#00b3e6"\/>/)
  assert.match(html, /<rect x="1.6" y="0" width="1" height="1" fill="#e6b800"\/>/, 'a tiny defect stays visible')
  assert.equal(html.match(/<line /g)?.length, 4)
  assert.match(html, /Coil K7 · 6.4 m · 4 images · run #3/)
  assert.match(html, /<th colspan="2">Cracks &lt;edge&gt;<\/th>/)
  assert.match(html, /<td class="num">1<\/td><td class="num">1,280<\/td>/)
  assert.match(html, /Proposed: <strong data-proposal>reject<\/strong> under plant v2/)
  assert.match(html, /<strong>reject<\/strong> crack: crack &amp; more — value 1,280, at 1 place\(s\) \(3.2 m\)/)
  assert.match(html, /Overridden to <strong>downgrade<\/strong> by ana, 2026-11-30 06:05 UTC, rule set plant v1 — “edge only” <strong class="warn">OUT OF DATE: masks edited since<\/strong>/)
})

test('many coils: the last ones drawn, the ones before listed in summary, each map made once', () => {
  const made: number[] = []
  const mapOf = (id: number): CoilMap => {
    made.push(id)
    return { ...map, summary: { ...map.summary, id, name: `K${id}` } }
  }
  const html = renderCoilSection([1, 2, 3, 4, 5], mapOf, classes, 2)
  assert.deepEqual(made, [1, 2, 3, 4, 5])
  assert.deepEqual([...html.matchAll(/data-coil="(K\d)"/g)].map((m) => m[1]), ['K4', 'K5'])
  assert.deepEqual([...html.matchAll(/data-coil-row="(K\d)"/g)].map((m) => m[1]), ['K1', 'K2', 'K3'])
  assert.match(html, /5 coils: the maps of the last 2; the 3 before them in summary/)
  assert.match(html, /<tr data-coil-row="K1"><td>K1<\/td><td class="num">6.4<\/td><td class="num">4<\/td><td class="num">2<\/td><td>reject<\/td><td>downgrade \(ana\) <strong class="warn">out of date<\/strong><\/td><\/tr>/)
})
