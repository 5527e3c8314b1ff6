// Public face of pipeline/: scanning folders, decoding images and inspecting them.
export { classifyFile, scanFolder, type FolderEntry } from './folder.ts'
export { decodeImage, ImageError, MAX_INPUT_PIXELS, type DecodedImage } from './decode.ts'
export { Inspector, type Inspection, type ClassResult, type BatchTimings, type InspectorOptions } from './inspector.ts'
export { inspectFiles, type FileOutcome, type ImageTimings } from './inspectFiles.ts'
