// The packaging check, offline: packages the built app (out/) for Linux, Windows and macOS as
// folders (electron-builder --dir) around stand-in Electron distributions, then checks what each
// holds — its platform's native binaries and nobody else's, no sources, tests or devDependencies,
// the models, the fuses, the size — and prints a listing. With --smoke it also starts the packaged
// Linux app's main (extracted from its app.asar) with the stand-in electron and runs a job.
// Run after `npm run build`: node scripts/package/packageCheck.ts [--platforms linux,win,mac] [--out DIR] [--smoke IMAGES]
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { executableProblems } from './executableChecks.ts'
import { ownerOf, packageProblems, readPackage, TARGETS, type PackageFacts } from './packageContents.ts'
import { writeStandInElectron, type PackagePlatform } from './standInElectron.ts'
import { writeStandInExe } from './standInExe.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const BUILDER = join(ROOT, 'node_modules', 'electron-builder', 'cli.js')
const FLAG: Record<PackagePlatform, string[]> = { linux: ['--linux', '--x64'], win: ['--win', '--x64'], mac: ['--mac', '--arm64'] }
const FOLDER: Record<PackagePlatform, string> = { linux: 'linux-unpacked', win: 'win-unpacked', mac: 'mac-arm64' }

/** Packages `platform` into `out` with a stand-in Electron; returns the package folder. */
export function packageFolder(platform: PackagePlatform, out: string): string {
  const electronVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')).version
  const dist = writeStandInElectron(join(out, `electron-${platform}`), platform, electronVersion)
  if (platform === 'win') writeStandInExe(join(dist, 'electron.exe'), electronVersion)
  const args = [BUILDER, ...FLAG[platform], '--dir', `--config.electronDist=${dist}`, '--config.npmRebuild=false', `--config.directories.output=${join(out, 'dist')}`]
  const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' } })
  if (run.status !== 0) throw new Error(`electron-builder ${FLAG[platform].join(' ')} failed:\n${run.stdout}\n${run.stderr}`)
  return join(out, 'dist', FOLDER[platform])
}

/** Whether this machine has `module`'s binary for `target` installed (sharp installs only its own OS's). */
export function nativeInstalled(module: string, target: string): boolean {
  const [os, arch] = target.split('-')
  const where = {
    'onnxruntime-node': `onnxruntime-node/bin/napi-v6/${os}/${arch}`,
    'better-sqlite3': `better-sqlite3/prebuilds/${target}.node`,
    sharp: `@img/sharp-${target}`,
    '@parcel/watcher': `@parcel/watcher-${target}${os === 'linux' ? '-glibc' : ''}`,
  }[module]
  return where !== undefined && existsSync(join(ROOT, 'node_modules', where))
}

export function summarise(facts: PackageFacts): string {
  const target = TARGETS[facts.platform]
  const byModule = new Map<string, string[]>()
  for (const path of facts.binaries.keys()) byModule.set(ownerOf(path) ?? 'other', [...(byModule.get(ownerOf(path) ?? 'other') ?? []), path.split('/').pop()!])
  const missing = ['onnxruntime-node', 'sharp', 'better-sqlite3', '@parcel/watcher'].filter((module) => !byModule.has(module) && !nativeInstalled(module, target))
  return [
    `${facts.platform} (${target}): app ${facts.sizeMB.app.toFixed(1)} MB, models ${facts.sizeMB.models.toFixed(1)} MB, stand-in Electron ${facts.sizeMB.electron.toFixed(1)} MB; ${facts.appFiles.length} app files`,
    ...[...byModule].map(([module, files]) => `  ${module}: ${files.join(', ')}`),
    ...missing.map((module) => `  ${module}: not installed on this machine for ${target} (npm installs it for the OS it runs on): build this package on that OS`),
    `  models: ${facts.modelFiles.join(', ')}`,
    `  fuses: ${[...facts.fuses].map(([name, on]) => `${name}=${on}`).join(', ')}`,
  ].join('\n')
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { platforms: { type: 'string', default: 'linux,win,mac' }, out: { type: 'string' }, smoke: { type: 'string' } } })
  const platforms = values.platforms!.split(',') as PackagePlatform[]
  const out = values.out ?? mkdtempSync(join(tmpdir(), 'coilscope-package-'))
  mkdirSync(out, { recursive: true })
  if (!existsSync(join(ROOT, 'out/main/main.js'))) throw new Error('out/main/main.js is missing: run npm run build first')
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
  let failures = 0
  for (const platform of platforms) {
    const started = performance.now()
    const folder = packageFolder(platform, out)
    const facts = await readPackage(folder, platform)
    const problems = [...packageProblems(facts, Object.keys(pkg.devDependencies), nativeInstalled), ...executableProblems(folder, platform)]
    console.log(`${summarise(facts)}\n  packaged in ${((performance.now() - started) / 1000).toFixed(1)} s at ${folder}`)
    for (const problem of problems) console.log(`  PROBLEM: ${problem}`)
    failures += problems.length
    if (platform === 'linux' && values.smoke) failures += await smoke(folder, facts, values.smoke, out)
  }
  if (!values.out) rmSync(out, { recursive: true, force: true })
  console.log(failures === 0 ? 'package check passed' : `package check FAILED: ${failures} problem(s)`)
  return failures === 0 ? 0 : 1
}

/** Runs the packaged Linux app's main (app.asar extracted, with its unpacked files) through a job. */
async function smoke(folder: string, facts: PackageFacts, images: string, out: string): Promise<number> {
  const { extractPackagedApp } = await import('./extractApp.ts')
  const { runDesktop, assertDesktopWorks } = await import('../../test/app/desktopRun.ts')
  const app = extractPackagedApp(facts.resources, join(out, 'extracted'))
  try {
    const report = runDesktop({ mainJs: join(app, 'out/main/main.js'), images, configHome: join(out, 'config'), resourcesDir: facts.resources, cwd: folder })
    assertDesktopWorks(report, join(facts.resources, 'models'))
    const foreign = report.mainNativeModules.filter((path) => !path.startsWith(app))
    if (foreign.length) throw new Error(`main loaded native modules from outside the package: ${foreign.join(', ')}`)
    console.log(`  packaged app: page ${report.document?.status}, job ${report.job?.state} (${report.job?.progress.done} images), coil image ${report.coilImage?.status}, onnxruntime in main: ${report.mainLoadedOnnxruntime.length}`)
    return 0
  } catch (error) {
    console.log(`  PROBLEM: the packaged app does not run: ${(error as Error).message}`)
    return 1
  }
}

if (import.meta.main) process.exitCode = await main()
