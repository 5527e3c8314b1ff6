// The `coilscope` command line: one module per subcommand, registered here. Every command returns
// its exit code: 0 success, 2 bad arguments / missing input / invalid model set, 3 some images failed.
import { Command, CommanderError } from 'commander'
import { APP_VERSION } from '../appInfo.ts'
import type { CommandResult } from './commandResult.ts'
import { UsageError } from './usageError.ts'
import { registerInspect } from './inspectCommand.ts'
import { registerScore } from './scoreCommand.ts'
import { registerModels } from './modelsCommand.ts'
import { registerExport } from './exportCommand.ts'
import { registerReport } from './reportCommand.ts'
import { registerSynth } from './synthCommand.ts'
import { registerDemo } from './demoCommand.ts'
import { registerServe } from './serveCommand.ts'
import { registerCoils } from './coilsCommand.ts'
import { registerDisposition } from './dispositionCommand.ts'
import { registerWatch } from './watchCommand.ts'
import { registerCompare } from './compareCommand.ts'

const registrars = [registerInspect, registerScore, registerModels, registerExport, registerReport, registerSynth, registerDemo, registerServe, registerWatch, registerCoils, registerDisposition, registerCompare]

export async function main(argv: readonly string[]): Promise<number> {
  const result: CommandResult = { exitCode: 0 }
  const program = new Command('coilscope')
    .description('Inspection workstation for steel strip: run ONNX defect ensembles over folders of coil images.')
    .version(APP_VERSION)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
  for (const register of registrars) register(program, result)
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
