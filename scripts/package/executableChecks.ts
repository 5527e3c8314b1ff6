// What electron-builder must have written into the platform's executable or bundle: on Windows the
// exe's icon, product name and asar-integrity resources; on macOS Info.plist's name, icon and asar
// integrity. (Linux keeps the asar hash nowhere: integrity validation is a macOS and Windows feature.)
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { PackagePlatform } from './standInElectron.ts'

interface ResEditRead {
  NtExecutable: { from(bytes: Buffer): unknown }
  NtExecutableResource: { from(exe: unknown): { entries: { type: number | string; id: number | string }[] } }
  Resource: { VersionInfo: { fromEntries(entries: unknown[]): { getStringValues(language: { lang: number; codepage: number }): Record<string, string> }[] } }
}
const RT_GROUP_ICON = 14

export function executableProblems(dir: string, platform: PackagePlatform): string[] {
  if (platform === 'win') return windowsProblems(join(dir, 'Coilscope.exe'))
  if (platform === 'mac') return macProblems(join(dir, 'Coilscope.app', 'Contents'))
  return []
}

function windowsProblems(exePath: string): string[] {
  const resedit = createRequire(createRequire(import.meta.url).resolve('app-builder-lib/package.json'))('resedit') as ResEditRead
  const resources = resedit.NtExecutableResource.from(resedit.NtExecutable.from(readFileSync(exePath)))
  const problems: string[] = []
  if (!resources.entries.some((e) => e.type === 'INTEGRITY' && e.id === 'ELECTRONASAR')) problems.push(`${exePath}: no asar integrity resource`)
  if (!resources.entries.some((e) => e.type === RT_GROUP_ICON)) problems.push(`${exePath}: no icon`)
  const [info] = resedit.Resource.VersionInfo.fromEntries(resources.entries)
  const name = info?.getStringValues({ lang: 1033, codepage: 1200 }).ProductName
  if (name !== 'Coilscope') problems.push(`${exePath}: product name is ${name}`)
  return problems
}

function macProblems(contents: string): string[] {
  const plist = readFileSync(join(contents, 'Info.plist'), 'utf8')
  const value = (key: string) => new RegExp(`<key>${key}</key>\\s*<string>([^<]*)</string>`).exec(plist)?.[1]
  const problems: string[] = []
  if (!/<key>ElectronAsarIntegrity<\/key>\s*<dict>\s*<key>Resources\/app\.asar<\/key>/.test(plist)) problems.push('Info.plist: no asar integrity for Resources/app.asar')
  if (value('CFBundleName') !== 'Coilscope') problems.push(`Info.plist: CFBundleName is ${value('CFBundleName')}`)
  const icon = value('CFBundleIconFile')
  if (!icon || !existsSync(join(contents, 'Resources', icon)) || readFileSync(join(contents, 'Resources', icon)).subarray(0, 4).toString('latin1') !== 'icns') problems.push(`Info.plist: icon ${icon} is not an icns in Resources`)
  return problems
}
