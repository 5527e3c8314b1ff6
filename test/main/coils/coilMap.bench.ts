// Measures evaluating a whole coil — grouping, the reviewed masks of every image, the defects in
// physical units and the coil map — on a coil of N block images inspected with the fixture models
// (default 400, a long coil). Not a test; run by hand:
//   node_modules/.bin/node test/main/coils/coilMap.bench.ts [N]
import { join } from 'node:path'
import { assignCoils } from '../../../src-main/coils/assignCoils.ts'
import { coilMap } from '../../../src-main/coils/coilMap.ts'
import { JobQueue } from '../../../src-main/queue/index.ts'
import { openStore } from '../../../src-main/store/index.ts'
import { FIXTURES, tempDir, writeBlockImages } from '../../helpers/images.ts'

const count = Number(process.argv[2] ?? 400)
const folder = tempDir()
await writeBlockImages(folder, count)
const store = openStore(join(tempDir(), 'bench.db'))
const queue = new JobQueue(store)
const { id } = queue.enqueue({ folder, modelsDir: join(FIXTURES, 'nchw'), provider: 'cpu' })
await queue.idle()
queue.close()
const source = store.sources.get(queue.get(id)!.sourceId!)!
for (let round = 1; round <= 3; round++) {
  let t = performance.now()
  const [coil] = (await assignCoils(store, source)).coils
  const assignMs = performance.now() - t
  t = performance.now()
  const map = coilMap(store, coil.id)
  const mapMs = performance.now() - t
  console.log(`round ${round}: ${coil.imageCount} images, ${map.defects.length} defects; grouping ${assignMs.toFixed(0)} ms, coil map ${mapMs.toFixed(0)} ms (${(mapMs / coil.imageCount).toFixed(2)} ms/image)`)
}
store.close()
