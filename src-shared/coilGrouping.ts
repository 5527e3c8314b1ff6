// How a source's images group into coils, as data: one subfolder per coil, a file-name pattern with
// named groups `coil` and `seq`, or rows from a line system's CSV (file → coil, seq). Grouping is a
// pure function of the relative paths; every file it cannot place is reported, never thrown.
// Patterns run on RE2's engine (re2js), whose time is linear in the name whatever the pattern: a
// JavaScript regex cannot be interrupted, and nested or ambiguous repetition such as (a+)+ or
// (\d|\d\d)+ would make it backtrack exponentially on one unlucky name.
import { RE2JS } from 're2js'
import { z } from 'zod'

/** Patterns are short by nature; a longer one is refused before it is compiled. */
export const MAX_PATTERN_LENGTH = 200
/** Longest file name a pattern runs against (the common file-system limit); longer ones are reported. */
export const MAX_NAME_LENGTH = 255

export const coilGroupingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('subfolders') }),
  z.object({ kind: z.literal('single') }),
  z.object({
    kind: z.literal('pattern'),
    pattern: z.string().min(1).superRefine((pattern, ctx) => {
      const problem = patternProblem(pattern)
      if (problem) ctx.addIssue({ code: 'custom', message: problem })
    }),
  }),
  z.object({ kind: z.literal('csv'), csvPath: z.string().min(1) }),
])
export type CoilGrouping = z.infer<typeof coilGroupingSchema>

/** One row of a line system's mapping, with its 1-based line in the file for messages. */
export interface CoilMappingRow {
  readonly file: string
  readonly coil: string
  readonly seq: number
  readonly line: number
}

export interface GroupedCoil {
  readonly name: string
  /** Relative paths, head first. */
  readonly files: readonly string[]
}

export interface GroupingProblem {
  readonly file: string
  readonly problem: string
}

export interface GroupingResult {
  readonly coils: readonly GroupedCoil[]
  readonly problems: readonly GroupingProblem[]
}

/** Why a pattern cannot group files, or null when it can. */
export function patternProblem(pattern: string): string | null {
  const compiled = compilePattern(pattern)
  return 'problem' in compiled ? compiled.problem : null
}

function compilePattern(pattern: string): { readonly regex: RE2JS } | { readonly problem: string } {
  if (pattern.length > MAX_PATTERN_LENGTH) return { problem: `the pattern is ${pattern.length} characters long; at most ${MAX_PATTERN_LENGTH} are allowed` }
  try {
    new RegExp(pattern)
  } catch (error) {
    return { problem: `not a valid regular expression: ${(error as Error).message}` }
  }
  let regex: RE2JS
  try {
    regex = RE2JS.compile(pattern)
  } catch (error) {
    return { problem: `the pattern uses what only a backtracking engine can run (${(error as Error).message.replace(/^error parsing regexp: /, '')}); patterns run in time linear in the name, without lookarounds or backreferences` }
  }
  const groups = regex.namedGroups()
  const missing = ['coil', 'seq'].filter((g) => !(g in groups))
  if (missing.length > 0) return { problem: `the pattern has no named group ${missing.map((g) => `(?<${g}>…)`).join(' or ')}` }
  return { regex }
}

/** The default: subfolders when any image sits in one, else one coil for the whole source. */
export function defaultGrouping(relativePaths: readonly string[]): CoilGrouping {
  return relativePaths.some((p) => p.includes('/')) ? { kind: 'subfolders' } : { kind: 'single' }
}

/** The order of files and coils by name: numbers inside names compare as numbers (img2 < img10). */
export const compareNames = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true })
const byName = compareNames

/**
 * Groups `relativePaths` ('/'-separated, relative to the source). `singleName` names the coil of the
 * 'single' form (the source folder's name); `mapping` is the parsed CSV of the 'csv' form.
 */
export function groupIntoCoils(
  relativePaths: readonly string[],
  grouping: CoilGrouping,
  context: { readonly singleName: string; readonly mapping?: readonly CoilMappingRow[] },
): GroupingResult {
  switch (grouping.kind) {
    case 'single':
      return { coils: relativePaths.length === 0 ? [] : [{ name: context.singleName, files: [...relativePaths].sort(byName) }], problems: [] }
    case 'subfolders':
      return bySubfolder(relativePaths)
    case 'pattern':
      return byPattern(relativePaths, grouping.pattern)
    case 'csv':
      return byMapping(relativePaths, context.mapping ?? [])
  }
}

function bySubfolder(relativePaths: readonly string[]): GroupingResult {
  const problems: GroupingProblem[] = []
  const members = new Map<string, { file: string; key: string }[]>()
  for (const file of relativePaths) {
    const slash = file.indexOf('/')
    if (slash < 0) {
      problems.push({ file, problem: 'not inside a coil subfolder' })
      continue
    }
    const coil = file.slice(0, slash)
    const list = members.get(coil) ?? members.set(coil, []).get(coil)!
    list.push({ file, key: file.slice(slash + 1) })
  }
  return { coils: ordered(members, (a, b) => byName(a.key, b.key)), problems }
}

function byPattern(relativePaths: readonly string[], pattern: string): GroupingResult {
  const compiled = compilePattern(pattern)
  if ('problem' in compiled) return { coils: [], problems: relativePaths.map((file) => ({ file, problem: `pattern ${pattern}: ${compiled.problem}` })) }
  const { regex } = compiled
  const placed: { file: string; coil: string; seq: number }[] = []
  const problems: GroupingProblem[] = []
  for (const file of relativePaths) {
    const name = file.slice(file.lastIndexOf('/') + 1)
    if (name.length > MAX_NAME_LENGTH) {
      problems.push({ file, problem: `file name is ${name.length} characters long; names over ${MAX_NAME_LENGTH} are not matched against the pattern` })
      continue
    }
    const match = regex.matcher(name)
    const groups = match.find() ? { coil: match.group('coil'), seq: match.group('seq') } : null
    if (!groups || groups.coil === null || groups.seq === null) {
      problems.push({ file, problem: `file name does not match the pattern ${pattern}` })
      continue
    }
    const seq = Number(groups.seq)
    if (groups.coil === '' || !Number.isSafeInteger(seq) || groups.seq.trim() === '') {
      problems.push({ file, problem: `pattern matched coil "${groups.coil}" and seq "${groups.seq}": seq is not a whole number` })
      continue
    }
    placed.push({ file, coil: groups.coil, seq })
  }
  return bySequence(placed, problems)
}

function byMapping(relativePaths: readonly string[], mapping: readonly CoilMappingRow[]): GroupingResult {
  const present = new Set(relativePaths)
  const problems: GroupingProblem[] = []
  const placed: { file: string; coil: string; seq: number }[] = []
  const mapped = new Set<string>()
  for (const row of mapping) {
    if (!present.has(row.file)) {
      problems.push({ file: row.file, problem: `line ${row.line} of the coil CSV names a file that is not an image of this source` })
      continue
    }
    if (mapped.has(row.file)) {
      problems.push({ file: row.file, problem: `line ${row.line} of the coil CSV maps this file a second time` })
      continue
    }
    mapped.add(row.file)
    placed.push({ file: row.file, coil: row.coil, seq: row.seq })
  }
  for (const file of relativePaths) if (!mapped.has(file)) problems.push({ file, problem: 'not listed in the coil CSV' })
  return bySequence(placed, problems)
}

/** Orders placed files by sequence within each coil; a repeated (coil, seq) is a problem. */
function bySequence(placed: readonly { file: string; coil: string; seq: number }[], problems: GroupingProblem[]): GroupingResult {
  const members = new Map<string, { file: string; seq: number }[]>()
  for (const p of placed) {
    const list = members.get(p.coil) ?? members.set(p.coil, []).get(p.coil)!
    const clash = list.find((m) => m.seq === p.seq)
    if (clash) problems.push({ file: p.file, problem: `coil ${p.coil} already has sequence ${p.seq} (${clash.file})` })
    else list.push({ file: p.file, seq: p.seq })
  }
  return { coils: ordered(members, (a, b) => a.seq - b.seq), problems }
}

function ordered<T extends { file: string }>(members: Map<string, T[]>, compare: (a: T, b: T) => number): GroupedCoil[] {
  return [...members.keys()].sort(byName).map((name) => ({ name, files: members.get(name)!.sort(compare).map((m) => m.file) }))
}
