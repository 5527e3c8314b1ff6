// Seeded randomness for the generator: a 32-bit mixer that derives independent streams from
// (seed, index, stream) and mulberry32 for the draws. Every random choice the generator makes comes
// from here, so a coil is a function of (seed, index) alone and streams never disturb each other.

/** MurmurHash3's finaliser: a fast full-avalanche 32-bit mix. */
export function mix32(value: number): number {
  let h = value >>> 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** Folds non-negative integers (each below 2^53) into one 32-bit seed; order matters. */
export function hashSeed(...parts: readonly number[]): number {
  let h = 0x9e3779b9
  for (const part of parts) {
    // Two words per part, so that indices past 2^32 stay distinct.
    h = mix32(h ^ (part >>> 0))
    h = mix32((h + 0x632be5ab) ^ Math.floor(part / 0x1_0000_0000))
  }
  return h
}

/** mulberry32: tiny, fast and good enough for textures and layout (not for cryptography). */
export class Rng {
  #state: number

  constructor(seed: number) {
    this.#state = seed >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0
    let t = this.#state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** A fresh 32-bit seed for a sub-stream (noise lattices, per-pixel speckle). */
  seed(): number {
    return (this.next() * 4294967296) >>> 0
  }

  uniform(min: number, max: number): number {
    return min + (max - min) * this.next()
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  chance(probability: number): boolean {
    return this.next() < probability
  }

  /** +1 with `probability`, else −1. */
  sign(probability: number): 1 | -1 {
    return this.next() < probability ? 1 : -1
  }

  /** Index drawn with probability proportional to `weights`. */
  weighted(weights: readonly number[]): number {
    let total = 0
    for (const w of weights) total += w
    let u = this.next() * total
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i]
      if (u < 0) return i
    }
    return weights.length - 1
  }
}
