// electron-builder.yml and package.json as the packager reads them: the fuses, per-platform file
// sets that name what they include, targets whose architectures onnxruntime-node ships binaries
// for, the metadata deb and AppImage need, and the icon files each platform takes as they are.
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { test } from 'node:test'

/** The YAML parser electron-builder itself reads its configuration with. */
const fromBuilder = createRequire(createRequire(import.meta.url).resolve('app-builder-lib/package.json'))
const yaml = fromBuilder('js-yaml') as { load(text: string): unknown }

const root = new URL('../../', import.meta.url)
const config = yaml.load(readFileSync(new URL('electron-builder.yml', root), 'utf8')) as Record<string, any>
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'))
const ORT_PLATFORM: Record<string, string> = { linux: 'linux', win: 'win32', mac: 'darwin' }

test('the Electron fuses are set: no run-as-node, NODE_OPTIONS or --inspect; the app only from a validated app.asar', () => {
  assert.deepEqual(config.electronFuses, {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    grantFileProtocolExtraPrivileges: false,
  })
})

test('every file set names what it includes (a set of exclusions only makes electron-builder add every file)', () => {
  for (const [name, files] of [['top level', config.files], ...['linux', 'win', 'mac'].map((p) => [p, config[p].files])] as [string, string[]][]) {
    assert.ok(files.includes('out/**') && files.includes('package.json'), `${name} files include out/** and package.json`)
    assert.deepEqual(files.filter((f) => !f.startsWith('!') && f !== 'out/**' && f !== 'package.json'), [], `${name}: nothing else is included`)
  }
})

test('each platform drops the other platforms’ onnxruntime binaries and keeps its own', () => {
  for (const [platform, own] of Object.entries(ORT_PLATFORM)) {
    const excluded = (config[platform].files as string[]).filter((f) => f.includes('onnxruntime-node/bin/napi-v6/')).join(' ')
    for (const other of Object.values(ORT_PLATFORM).filter((p) => p !== own)) assert.match(excluded, new RegExp(`[{,/]${other}[},/]`), `${platform} excludes ${other}`)
    assert.doesNotMatch(excluded, new RegExp(`napi-v6/\\{[^}]*${own}`), `${platform} keeps ${own}`)
  }
  assert.equal((config.files as string[]).some((f) => f.includes('onnxruntime-node/bin')), false, 'no platform binary is excluded for every platform')
})

test('each target’s architectures are ones onnxruntime-node ships binaries for (macOS: Apple silicon only)', () => {
  for (const [platform, own] of Object.entries(ORT_PLATFORM)) {
    for (const target of config[platform].target as { target: string; arch: string[] }[]) {
      for (const arch of target.arch) assert.ok(existsSync(new URL(`node_modules/onnxruntime-node/bin/napi-v6/${own}/${arch}/`, root)), `${platform} ${target.target} ${arch}`)
    }
  }
  assert.deepEqual(config.mac.target.flatMap((t: { arch: string[] }) => t.arch), ['arm64'])
})

test('package.json has what deb and AppImage need: homepage, author with email', () => {
  assert.match(pkg.homepage, /^https:\/\//)
  assert.match(pkg.author.email, /^[^@\s]+@[^@\s]+$/)
  assert.ok(pkg.author.name)
})

test('the icons are there in the forms electron-builder uses without converting', () => {
  const build = new URL('build/', root)
  assert.equal(config.directories.buildResources, 'build')
  const icns = readFileSync(new URL('icon.icns', build))
  assert.equal(icns.subarray(0, 4).toString('latin1'), 'icns')
  assert.equal(icns.readUInt32BE(4), icns.length)
  assert.ok(icns.includes(Buffer.from('ic10')), 'icns holds a 1024 px image')
  const ico = readFileSync(new URL('icon.ico', build))
  const count = ico.readUInt16LE(4)
  const sizes = Array.from({ length: count }, (_, i) => ico[6 + 16 * i] || 256)
  assert.ok(ico.readUInt16LE(2) === 1 && sizes.includes(256), `ico sizes ${sizes}`)
  const pngs = readdirSync(new URL('icons/', build)).filter((name) => /^\d+x\d+\.png$/.test(name))
  assert.ok(pngs.includes('512x512.png') && pngs.includes('256x256.png'), `${pngs}`)
})

test('a signed macOS build runs under the hardened runtime with JIT allowed (V8 on Apple silicon needs it)', () => {
  assert.equal(config.mac.hardenedRuntime, true)
  const entitlements = readFileSync(new URL('build/entitlements.mac.plist', root), 'utf8')
  assert.match(entitlements, /<key>com\.apple\.security\.cs\.allow-jit<\/key>\s*<true\/>/)
})
