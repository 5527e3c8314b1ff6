// Public face of inference/: model sets, sessions and the provider decision.
export { loadModelSet, type LoadedModelSet, type LoadOptions } from './modelSet.ts'
export { readManifest, verifyMembers, ModelSetError } from './manifestFile.ts'
export { PROVIDER_CHOICES, ProviderError, type ProviderChoice, type ProviderDecision } from './provider.ts'
export { ORT_VERSION, type ExecutionProvider, type ModelSession } from './session.ts'
