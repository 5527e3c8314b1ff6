// The execution providers, in one table: what each is called and how the pipeline runs on it.
// Every other module reads the names and the per-provider choices from here.

export const EXECUTION_PROVIDERS = {
  cuda: {
    label: 'CUDA (GPU)',
    /** Images per batch: a GPU is fed batches. */
    batchSize: 16,
    /** Outputs run into arrays kept per batch size (onnxruntime copies device results straight in). */
    preallocateOutputs: true,
    /** onnxruntime's memory pattern (see SessionOptions.memoryPattern). */
    memoryPattern: true,
  },
  cpu: { label: 'CPU', batchSize: 1, preallocateOutputs: false, memoryPattern: false },
} as const

export type ExecutionProvider = keyof typeof EXECUTION_PROVIDERS

/** What a user may ask for: a provider, or `auto` (CUDA when it starts, else the CPU). */
export const PROVIDER_CHOICES = ['auto', 'cuda', 'cpu'] as const satisfies readonly ('auto' | ExecutionProvider)[]
export type ProviderChoice = (typeof PROVIDER_CHOICES)[number]
