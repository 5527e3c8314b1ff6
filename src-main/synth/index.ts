// Public face of the synthetic coil generator: Severstal-like 1600×256 strip images with exact
// per-class masks, as pure functions (generateCoil) and as a folder writer (writeSynthFolder).
export { generateCoil, DEFAULT_DEFECT_RATE, MAX_SEED, type Coil, type CoilOptions } from './generateCoil.ts'
export {
  writeSynthFolder, coilFileName, TruthFileError, TRUTH_CSV,
  type SynthFolderOptions, type SynthSummary,
} from './writeSynthFolder.ts'
export { writeSynthCoils, synthCoilName, COILS_CSV, type SynthCoilsOptions, type SynthCoilsSummary } from './writeSynthCoils.ts'
export { coilId, MAX_COIL_INDEX } from './coilId.ts'
export { SEVERSTAL_COMBINATIONS } from './classPlan.ts'
export { DEFECT_KINDS } from './defects.ts'
export { COIL_HEIGHT, COIL_WIDTH, DEFECT_CLASSES, type DefectClass, type Strip } from './frame.ts'
