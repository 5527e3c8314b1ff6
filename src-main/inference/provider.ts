// Chooses the execution provider. `auto` tries CUDA and falls back to the CPU, saying why;
// `cuda` fails with the reason instead. onnxruntime-node throws (no silent fallback) when CUDA
// cannot start, so every session of a set is opened under one decision.
import { cudaProviderLibrary, type ExecutionProvider } from './session.ts'

export { PROVIDER_CHOICES, type ProviderChoice } from '../../src-shared/apiTypes.ts'
import type { ProviderChoice } from '../../src-shared/apiTypes.ts'

export interface ProviderDecision {
  readonly requested: ProviderChoice
  readonly provider: ExecutionProvider
  /** Why CUDA was not used when it was asked for (auto), else null. */
  readonly fallbackReason: string | null
}

export const CUDA_INSTALL_HINT =
  'install it with `ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install` (needs CUDA 12 and cuDNN 9)'

export class ProviderError extends Error {}

/**
 * Opens every session with the chosen provider. `open` opens all sessions for one provider and
 * throws on failure; on a CUDA failure under `auto` it is called again with 'cpu'.
 */
export async function withProvider<T>(
  requested: ProviderChoice,
  open: (provider: ExecutionProvider) => Promise<T>,
): Promise<{ value: T; decision: ProviderDecision }> {
  if (requested === 'cpu') return { value: await open('cpu'), decision: { requested, provider: 'cpu', fallbackReason: null } }
  let reason: string
  if (process.platform === 'darwin') {
    reason = 'CUDA is not available on macOS'
  } else if (!cudaProviderLibrary()) {
    reason = `onnxruntime-node's CUDA provider is not installed; ${CUDA_INSTALL_HINT}`
  } else {
    try {
      return { value: await open('cuda'), decision: { requested, provider: 'cuda', fallbackReason: null } }
    } catch (error) {
      reason = `CUDA failed to start: ${firstLine((error as Error).message)}`
    }
  }
  if (requested === 'cuda') throw new ProviderError(`--provider cuda: ${reason}`)
  return { value: await open('cpu'), decision: { requested, provider: 'cpu', fallbackReason: reason } }
}

function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '')?.trim() ?? text
}
