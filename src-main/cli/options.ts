// Shared option parsing for the commands: choices, numbers and the default model set.
import { existsSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { InvalidArgumentError } from 'commander'

/** The bundled model set, used when --models is not given. */
export const DEFAULT_MODELS_DIR = fileURLToPath(new URL('../../models/default', import.meta.url))
/** Where `coilscope models` looks for model sets. */
export const MODELS_ROOT = fileURLToPath(new URL('../../models', import.meta.url))

export function choice<T extends string>(allowed: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(allowed as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${allowed.join(', ')}`)
    return value as T
  }
}

export function positiveInteger(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer')
  return n
}

export function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory()
}
