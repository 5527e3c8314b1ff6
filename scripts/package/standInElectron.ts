// Stand-in Electron distributions for packaging without downloading Electron: the layout
// electron-builder expects from `--config.electronDist` for each platform, with executables that
// carry Electron's fuse wire (sentinel, version 1, eight fuses at Electron's defaults) so the
// configured fuses are really flipped and can be read back. They cannot run the app.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

export type PackagePlatform = 'linux' | 'win' | 'mac'

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
/** RunAsNode, CookieEncryption, NodeOptions, NodeCliInspect, AsarIntegrity, OnlyLoadAppFromAsar, V8Snapshot, FileProtocolPrivileges. */
const DEFAULT_WIRE = '10110001'

/** The fuse wire as @electron/fuses finds it in an Electron binary. */
export const FUSE_WIRE = Buffer.concat([Buffer.from(SENTINEL), Buffer.from([1, DEFAULT_WIRE.length]), Buffer.from(DEFAULT_WIRE)])

/** A script that says it is a stand-in, with the fuse wire in a comment. */
function executable(path: string): void {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, Buffer.concat([Buffer.from('#!/bin/sh\necho "stand-in Electron: cannot run" >&2\nexit 1\n# '), FUSE_WIRE, Buffer.from('\n')]))
  chmodSync(path, 0o755)
}

function file(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, text)
}

const plist = (entries: Record<string, string>) => `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
${Object.entries(entries).map(([key, value]) => `  <key>${key}</key><string>${value}</string>`).join('\n')}
</dict></plist>
`

/** Writes the stand-in for `platform` under `dir` and returns `dir`. */
export function writeStandInElectron(dir: string, platform: PackagePlatform, version: string): string {
  file(join(dir, 'version'), version)
  file(join(dir, 'LICENSE'), 'stand-in\n')
  if (platform === 'linux') {
    executable(join(dir, 'electron'))
  } else if (platform === 'win') {
    executable(join(dir, 'electron.exe')) // replaced by a PE image (standInExe.ts)
  } else {
    const contents = join(dir, 'Electron.app', 'Contents')
    file(join(contents, 'Info.plist'), plist({ CFBundleExecutable: 'Electron', CFBundleIdentifier: 'com.github.Electron', CFBundleName: 'Electron', CFBundleDisplayName: 'Electron', CFBundleVersion: version, CFBundleShortVersionString: version, CFBundleIconFile: 'electron.icns' }))
    executable(join(contents, 'MacOS', 'Electron'))
    file(join(contents, 'Resources', 'electron.icns'), '')
    const framework = join(contents, 'Frameworks', 'Electron Framework.framework')
    executable(join(framework, 'Electron Framework'))
    file(join(framework, 'Resources', 'Info.plist'), plist({ CFBundleIdentifier: 'com.github.Electron.framework', CFBundleVersion: version }))
    for (const suffix of ['', ' (GPU)', ' (Renderer)', ' (Plugin)']) {
      const helper = join(contents, 'Frameworks', `Electron Helper${suffix}.app`, 'Contents')
      file(join(helper, 'Info.plist'), plist({ CFBundleExecutable: `Electron Helper${suffix}`, CFBundleIdentifier: `com.github.Electron.helper`, CFBundleName: `Electron Helper${suffix}`, CFBundleDisplayName: `Electron Helper${suffix}` }))
      executable(join(helper, 'MacOS', `Electron Helper${suffix}`))
    }
  }
  return dir
}
