// The `coilscope` command line: one module per subcommand, registered here. Every command returns
// its exit code: 0 success, 2 bad arguments / missing input / invalid model set, 3 some images failed.
import { Command, CommanderError } from 'commander'
import { APP_VERSION } from '../appInfo.ts'
import type { CommandResult } from './commandResult.ts'
import { UsageError } from './usageError.ts'
type Registrar = (program: Command, result: CommandResult) => void

/**
 * Each command's module, in help order, loaded only when needed: a process that runs one command
 * pays for that command's imports alone (the others load the models, the store, the web host…).
 */
const COMMANDS: Readonly<Record<string, () => Promise<Registrar>>> = {
  inspect: async () => (await import('./inspectCommand.ts')).registerInspect,
  score: async () => (await import('./scoreCommand.ts')).registerScore,
  models: async () => (await import('./modelsCommand.ts')).registerModels,
  export: async () => (await import('./exportCommand.ts')).registerExport,
  report: async () => (await import('./reportCommand.ts')).registerReport,
  synth: async () => (await import('./synthCommand.ts')).registerSynth,
  demo: async () => (await import('./demoCommand.ts')).registerDemo,
  serve: async () => (await import('./serveCommand.ts')).registerServe,
  watch: async () => (await import('./watchCommand.ts')).registerWatch,
  coils: async () => (await import('./coilsCommand.ts')).registerCoils,
  disposition: async () => (await import('./dispositionCommand.ts')).registerDisposition,
  compare: async () => (await import('./compareCommand.ts')).registerCompare,
}

/** The named command's registrar alone, or every one (help, the version, an unknown command). */
async function registrarsFor(argv: readonly string[]): Promise<Registrar[]> {
  const load = Object.hasOwn(COMMANDS, argv[2] ?? '') ? COMMANDS[argv[2]] : null
  return load ? [await load()] : Promise.all(Object.values(COMMANDS).map((each) => each()))
}

export async function main(argv: readonly string[]): Promise<number> {
  const result: CommandResult = { exitCode: 0 }
  const program = new Command('coilscope')
    .description('Inspection workstation for steel strip: run ONNX defect ensembles over folders of coil images.')
    .version(APP_VERSION)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
  for (const register of await registrarsFor(argv)) register(program, result)
  try {
    await program.parseAsync(argv)
    return result.exitCode
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2
    if (error instanceof UsageError) {
      process.stderr.write(`coilscope: ${error.message}\n`)
      return 2
    }
    // Anything else is still one line for the user; COILSCOPE_DEBUG=1 shows where it came from.
    process.stderr.write(`coilscope: ${(error as Error).message}\n`)
    if (process.env.COILSCOPE_DEBUG) process.stderr.write(`${(error as Error).stack}\n`)
    return 1
  }
}
