// The shipped int8 set, listed by the app service: valid, with its origin and parity lines for
// the Library's model-set panel.
import assert from 'node:assert/strict'
import { cpSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, test } from 'node:test'
import { createAppService, type AppService } from '../../src-main/app/appService.ts'
import { openStore, type Store } from '../../src-main/store/index.ts'
import { tempDir } from '../helpers/images.ts'

const INT8 = fileURLToPath(new URL('../../models/default-int8', import.meta.url))
let store: Store
let service: AppService
const root = tempDir()

before(() => {
  cpSync(INT8, join(root, 'default-int8'), { recursive: true })
  store = openStore(join(tempDir(), 'library.db'))
  service = createAppService({ store, host: { kind: 'web', resourceBase: '/coil/' }, defaultModelsRoot: root })
})

after(() => {
  service.close()
  store.close()
})

test('an int8 set is listed valid with its origin, its members\' precision and its measured parity', async () => {
  const [set] = await service.methods.listModelSets()
  assert.equal(set.isValid, true, set.problems.join('\n'))
  const lines = set.quantization!
  assert.match(lines[0], /^int8 of default 1\.0\.0 \(manifest [0-9a-f]{12}\), calibrated on 48 images \([0-9a-f]{12}\); 7-bit weights$/)
  assert.ok(lines.includes('unetpp-a.onnx: int8 (55 nodes int8)'), lines.join('\n'))
  assert.match(lines.join('\n'), /parity on 300 held-out images \(2026-11-30\): mean Dice between fp32 and int8 masks 0\.99\d\d/)
  assert.equal(lines.at(-1), '  within the parity targets')
})
