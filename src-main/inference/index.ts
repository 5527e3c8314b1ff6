// Public face of inference/: model sets, sessions and the provider decision.
export { loadModelSet, readManifest, verifyMembers, ModelSetError, type LoadedModelSet, type LoadOptions } from './modelSet.ts'
export { PROVIDER_CHOICES, ProviderError, type ProviderChoice, type ProviderDecision } from './provider.ts'
export { ORT_VERSION, type ExecutionProvider, type ModelSession } from './session.ts'
