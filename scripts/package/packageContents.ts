// What a packaged app folder (electron-builder --dir) holds, and what is wrong with it for its
// platform: the app files in app.asar and app.asar.unpacked, the native binaries and whose platform
// they are for, the model sets in resources, the Electron fuses, and the size.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import asar from '@electron/asar'
import fuses from '@electron/fuses'
import type { PackagePlatform } from './standInElectron.ts'

/** The Node platform-arch each package is built for (mac: Apple silicon only, see electron-builder.yml). */
export const TARGETS: Record<PackagePlatform, string> = { linux: 'linux-x64', win: 'win32-x64', mac: 'darwin-arm64' }
/** Budget for everything but Electron itself (app.asar, its unpacked part, models), in MB. */
export const SIZE_BUDGET_MB: Record<PackagePlatform, number> = { linux: 100, win: 120, mac: 130 }
const NATIVE_MODULES = ['onnxruntime-node', 'sharp', 'better-sqlite3', '@parcel/watcher'] as const
/** Fuses as electron-builder.yml sets them. */
const { FuseV1Options, getCurrentFuseWire } = fuses
/** The bytes of a fuse's state in the wire ('0', '1'). */
const FUSE_DISABLED = 0x30
const FUSE_ENABLED = 0x31
export const EXPECTED_FUSES: [keyof typeof FuseV1Options, boolean][] = [
  ['RunAsNode', false],
  ['EnableNodeOptionsEnvironmentVariable', false],
  ['EnableNodeCliInspectArguments', false],
  ['EnableEmbeddedAsarIntegrityValidation', true],
  ['OnlyLoadAppFromAsar', true],
  ['GrantFileProtocolExtraPrivileges', false],
]

export interface PackageFacts {
  readonly platform: PackagePlatform
  readonly resources: string
  /** App files, relative to the app root, from app.asar and app.asar.unpacked together. */
  readonly appFiles: readonly string[]
  /** Native binaries: path → the platform-arch named in it (null when none is). */
  readonly binaries: ReadonlyMap<string, string | null>
  readonly modelFiles: readonly string[]
  readonly fuses: ReadonlyMap<string, boolean | null>
  readonly sizeMB: { readonly electron: number; readonly app: number; readonly models: number }
}

export function resourcesOf(dir: string, platform: PackagePlatform): string {
  return platform === 'mac' ? join(dir, 'Coilscope.app', 'Contents', 'Resources') : join(dir, 'resources')
}

export function executableOf(dir: string, platform: PackagePlatform): string {
  return { linux: join(dir, 'coilscope'), win: join(dir, 'Coilscope.exe'), mac: join(dir, 'Coilscope.app') }[platform]
}

export async function readPackage(dir: string, platform: PackagePlatform): Promise<PackageFacts> {
  const resources = resourcesOf(dir, platform)
  const archive = join(resources, 'app.asar')
  const unpacked = `${archive}.unpacked`
  const inAsar = asar.listPackage(archive, { isPack: false }).map((path) => path.replaceAll('\\', '/').replace(/^\//, ''))
  const asarFiles = inAsar.filter((path) => !asar.statFile(archive, path, false).hasOwnProperty('files'))
  const appFiles = [...new Set([...asarFiles, ...(existsSync(unpacked) ? walk(unpacked) : [])])].sort()
  const binaries = new Map(appFiles.filter(isNativeBinary).map((path) => [path, platformNamedIn(path)]))
  const wire = await getCurrentFuseWire(executableOf(dir, platform))
  const fuses = new Map(EXPECTED_FUSES.map(([name]) => [name, fuseValue(wire[FuseV1Options[name]])]))
  const models = join(resources, 'models')
  return {
    platform,
    resources,
    appFiles,
    binaries,
    modelFiles: existsSync(models) ? walk(models) : [],
    fuses,
    sizeMB: { electron: mb(sizeOf(dir) - sizeOf(resources)), app: mb(sizeOf(archive) + (existsSync(unpacked) ? sizeOf(unpacked) : 0)), models: mb(existsSync(models) ? sizeOf(models) : 0) },
  }
}

/** Every way the package falls short for its platform; empty when it is right. */
export function packageProblems(facts: PackageFacts, devDependencies: readonly string[], nativeInstalled: (module: string, target: string) => boolean): string[] {
  const problems: string[] = []
  const target = TARGETS[facts.platform]
  const outside = facts.appFiles.filter((path) => !/^(out\/|node_modules\/|package\.json$)/.test(path))
  if (outside.length) problems.push(`files beyond out/, node_modules/ and package.json: ${sample(outside)}`)
  const sources = facts.appFiles.filter((path) => /\.(ts|svelte|c|cc|cpp|h|hpp|gyp)$/.test(path) && !/\.d\.[cm]?ts$/.test(path))
  if (sources.length) problems.push(`sources: ${sample(sources)}`)
  const packages = new Set(facts.appFiles.filter((p) => p.startsWith('node_modules/')).map((p) => p.split('/').slice(1, p.split('/')[1].startsWith('@') ? 3 : 2).join('/')))
  const dev = devDependencies.filter((name) => packages.has(name))
  if (dev.length) problems.push(`devDependencies: ${dev.join(', ')}`)
  if ([...packages].some((name) => name === 'better-sqlite3') && facts.appFiles.some((p) => p.startsWith('node_modules/better-sqlite3/deps/'))) problems.push('better-sqlite3 ships its SQLite sources (deps/)')
  const foreign = [...facts.binaries].filter(([, named]) => named !== target)
  if (foreign.length) problems.push(`binaries not for ${target}: ${sample(foreign.map(([path, named]) => `${path} (${named ?? 'no platform named'})`))}`)
  for (const module of NATIVE_MODULES) {
    const own = [...facts.binaries.keys()].filter((path) => ownerOf(path) === module)
    if (own.length === 0 && nativeInstalled(module, target)) problems.push(`no ${module} binary for ${target}`)
  }
  const manifests = facts.modelFiles.filter((path) => path.endsWith('manifest.json'))
  if (!manifests.includes('default/manifest.json')) problems.push('no models/default/manifest.json in resources')
  for (const manifest of manifests) {
    const folder = manifest.slice(0, -'manifest.json'.length)
    const members = memberFiles(readFileSync(join(facts.resources, 'models', manifest), 'utf8'))
    for (const file of members) if (!facts.modelFiles.includes(`${folder}${file}`)) problems.push(`models/${folder}${file} named by its manifest is missing`)
  }
  if (facts.modelFiles.some((path) => path.startsWith('training/'))) problems.push('models/training ships')
  for (const [name, wanted] of EXPECTED_FUSES) if (facts.fuses.get(name) !== wanted) problems.push(`fuse ${name} is ${facts.fuses.get(name)}, should be ${wanted}`)
  const total = facts.sizeMB.app + facts.sizeMB.models
  if (total > SIZE_BUDGET_MB[facts.platform]) problems.push(`app and models take ${total.toFixed(1)} MB, over the ${SIZE_BUDGET_MB[facts.platform]} MB budget`)
  return problems
}

/** Which of the native modules a binary belongs to (sharp's live in @img/sharp-*, the watcher's in @parcel/watcher-*). */
export function ownerOf(path: string): string | null {
  if (path.startsWith('node_modules/@img/sharp-')) return 'sharp'
  if (path.startsWith('node_modules/@parcel/watcher-')) return '@parcel/watcher'
  return NATIVE_MODULES.find((module) => path.startsWith(`node_modules/${module}/`)) ?? null
}

function isNativeBinary(path: string): boolean {
  return /\.(node|dll|dylib|exe)$/.test(path) || /\.so(\.\d+)*$/.test(path)
}

/** 'linux-x64' from …/napi-v6/linux/x64/…, prebuilds/linux-x64.node, @img/sharp-linux-x64/… or @parcel/watcher-linux-x64-glibc/…; musl counts as its own. */
function platformNamedIn(path: string): string | null {
  const match = /(?:^|[/-])(linuxmusl|linux|darwin|win32)[/-](x64|arm64|arm|ia32)(?=[/.-])/.exec(path)
  if (!match) return null
  // @parcel/watcher-linux-x64-musl: the musl build, named after the architecture.
  return match[1] === 'linux' && new RegExp(`linux-${match[2]}-musl/`).test(path) ? `linuxmusl-${match[2]}` : `${match[1]}-${match[2]}`
}

function memberFiles(manifestText: string): string[] {
  const manifest = JSON.parse(manifestText)
  return [...(manifest.classifier?.members ?? []), ...(manifest.segmenter?.members ?? [])].map((member: { file: string }) => member.file)
}

function fuseValue(state: number | undefined): boolean | null {
  return state === FUSE_ENABLED ? true : state === FUSE_DISABLED ? false : null
}

function walk(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
}

function sizeOf(path: string): number {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.size
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0)
}

const mb = (bytes: number) => bytes / 1024 / 1024
const sample = (items: readonly string[]) => `${items.slice(0, 5).join(', ')}${items.length > 5 ? ` and ${items.length - 5} more` : ''}`
