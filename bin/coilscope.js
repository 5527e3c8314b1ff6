#!/usr/bin/env node
// Entry point of the `coilscope` command. The sources are TypeScript run by Node's own type
// stripping (Node >= 22.18); npm scripts and npx put the project's Node 22 first on the PATH.
const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `coilscope: needs Node >= 22.18 (this is ${process.version}). ` +
      'Run it as `npx coilscope …` or through `npm run`, which use the Node 22 installed with the project.',
  )
  process.exit(2)
}
const { main } = await import('../src-main/cli/index.ts')
process.exitCode = await main(process.argv)
