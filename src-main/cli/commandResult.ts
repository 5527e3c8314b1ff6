/** Each command registrar adds one subcommand whose action sets the exit code here. */
export type CommandResult = { exitCode: number }
