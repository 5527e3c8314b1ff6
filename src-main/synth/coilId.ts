// Image names that look like Severstal's (nine hex digits, e.g. 0002cc93b) yet are unique within a
// seed: the index goes through a 4-round Feistel permutation of 36-bit numbers keyed by the seed,
// so distinct indices can never collide, and neighbouring indices look unrelated.
import { hashSeed, mix32 } from './prng.ts'

/** Indices must be below 2^36 (nine hex digits). */
export const MAX_COIL_INDEX = 2 ** 36 - 1
const HALF = 2 ** 18
const ROUNDS = 4

export function coilId(seed: number, index: number): string {
  if (!Number.isInteger(index) || index < 0 || index > MAX_COIL_INDEX) {
    throw new RangeError(`coil index ${index} is not an integer in [0, ${MAX_COIL_INDEX}]`)
  }
  let left = Math.floor(index / HALF)
  let right = index % HALF
  for (let round = 0; round < ROUNDS; round++) {
    const mixed = mix32(hashSeed(seed, round) ^ right) & (HALF - 1)
    ;[left, right] = [right, left ^ mixed]
  }
  return (left * HALF + right).toString(16).padStart(9, '0')
}
