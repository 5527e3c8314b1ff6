// What onnxruntime actually runs for a model: the operator counts of the graph after its
// optimizations, which turn each DQ → Conv → Q group into one QLinearConv (and so on). A QDQ model
// whose groups were not fused would run float kernels between conversions, slower than before.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readModel } from '../inference/onnxModel.ts'
import { openSession } from '../inference/session.ts'

export async function optimizedOperators(bytes: Uint8Array): Promise<Record<string, number>> {
  const dir = await mkdtemp(join(tmpdir(), 'coilscope-optimized-'))
  try {
    const path = join(dir, 'optimized.onnx')
    const session = await openSession({ bytes, file: 'model' }, { provider: 'cpu', threads: 1, optimizedModelFilePath: path })
    await session.release()
    const counts: Record<string, number> = {}
    for (const node of readModel(await readFile(path)).nodes) counts[node.opType] = (counts[node.opType] ?? 0) + 1
    return counts
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
