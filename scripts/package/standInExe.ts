// A stand-in electron.exe: an empty PE image with the version resource electron-builder edits
// (it adds the asar integrity resource to it) and Electron's fuse wire in a data resource.
import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { FUSE_WIRE } from './standInElectron.ts'

// resedit as electron-builder resolves it (it edits Windows executables with it). Its types pull
// in the DOM library, which this project keeps out, so it is typed here by the little used.
interface ResEditApi {
  NtExecutable: { createEmpty(is32Bit: boolean, isDll: boolean): { generate(): ArrayBuffer } }
  NtExecutableResource: { from(exe: unknown): { entries: unknown[]; outputResource(exe: unknown): void } }
  Resource: {
    VersionInfo: {
      createEmpty(): {
        setFileVersion(major: number, minor: number, micro: number, revision: number, lang: number): void
        setStringValues(language: { lang: number; codepage: number }, values: Record<string, string>): void
        outputToResourceEntries(entries: unknown[]): void
      }
    }
  }
}
const ResEdit = createRequire(createRequire(import.meta.url).resolve('app-builder-lib/package.json'))('resedit') as ResEditApi

export function writeStandInExe(path: string, version: string): void {
  const exe = ResEdit.NtExecutable.createEmpty(false, false)
  const resources = ResEdit.NtExecutableResource.from(exe)
  const info = ResEdit.Resource.VersionInfo.createEmpty()
  const [major, minor, patch] = version.split('.').map(Number)
  info.setFileVersion(major, minor, patch, 0, 1033)
  info.setStringValues({ lang: 1033, codepage: 1200 }, { ProductName: 'Electron', FileDescription: 'Electron', OriginalFilename: 'electron.exe' })
  info.outputToResourceEntries(resources.entries)
  resources.entries.push({ type: 10, id: 1, lang: 1033, codepage: 1200, bin: new Uint8Array(FUSE_WIRE).buffer })
  resources.outputResource(exe)
  writeFileSync(path, Buffer.from(exe.generate()))
}
