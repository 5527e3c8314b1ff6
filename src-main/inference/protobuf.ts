// The few protobuf wire-format primitives that merging ONNX models needs: walk the fields of a
// message without decoding what it does not touch, and write fields back. Unknown fields are kept
// as their raw bytes, so nothing a model holds is lost by passing through here.

export const WIRE_VARINT = 0
export const WIRE_FIXED64 = 1
export const WIRE_BYTES = 2
export const WIRE_FIXED32 = 5

export interface WireField {
  readonly number: number
  readonly wireType: number
  /** The whole field, tag included: copy this to keep the field as it is. */
  readonly raw: Uint8Array
  /** Length-delimited fields: the payload; varints: empty. */
  readonly payload: Uint8Array
  /** Varint fields: the value (exact up to 2^53; a negative int64 as a negative number). */
  readonly value: number
}

export class ProtobufError extends Error {}

/** The fields of one message, in order. Throws ProtobufError on malformed input. */
export function readFields(message: Uint8Array): WireField[] {
  const fields: WireField[] = []
  let at = 0
  while (at < message.length) {
    const start = at
    const [tag, afterTag] = readVarint(message, at)
    at = afterTag
    const number = Math.floor(tag / 8)
    const wireType = tag % 8
    if (number === 0) throw new ProtobufError(`field number 0 at byte ${start}`)
    let payload = EMPTY
    let value = 0
    if (wireType === WIRE_VARINT) {
      ;[value, at] = readVarint(message, at)
    } else if (wireType === WIRE_BYTES) {
      const [length, afterLength] = readVarint(message, at)
      at = afterLength + length
      if (at > message.length) throw new ProtobufError(`field ${number} runs past the end of its message`)
      payload = message.subarray(afterLength, at)
    } else if (wireType === WIRE_FIXED64) {
      at += 8
    } else if (wireType === WIRE_FIXED32) {
      at += 4
    } else {
      throw new ProtobufError(`unsupported wire type ${wireType} (field ${number})`)
    }
    if (at > message.length) throw new ProtobufError(`field ${number} runs past the end of its message`)
    fields.push({ number, wireType, raw: message.subarray(start, at), payload, value })
  }
  return fields
}

const EMPTY: Uint8Array = new Uint8Array(0)
const utf8 = new TextDecoder('utf-8', { fatal: true })
const utf8Encoder = new TextEncoder()

export function fieldString(field: WireField): string {
  return utf8.decode(field.payload)
}

/** Collects the chunks of a message being written; `bytes()` joins them once. */
export class MessageWriter {
  readonly #chunks: Uint8Array[] = []
  #length = 0

  get length(): number {
    return this.#length
  }

  raw(bytes: Uint8Array): this {
    this.#chunks.push(bytes)
    this.#length += bytes.length
    return this
  }

  varint(number: number, value: number): this {
    return this.raw(encodeVarint(number * 8 + WIRE_VARINT)).raw(encodeVarint(value))
  }

  bytes(number: number, payload: Uint8Array): this {
    return this.raw(encodeVarint(number * 8 + WIRE_BYTES)).raw(encodeVarint(payload.length)).raw(payload)
  }

  string(number: number, value: string): this {
    return this.bytes(number, utf8Encoder.encode(value))
  }

  /** A nested message, without copying its chunks until the end. */
  message(number: number, inner: MessageWriter): this {
    this.raw(encodeVarint(number * 8 + WIRE_BYTES)).raw(encodeVarint(inner.length))
    for (const chunk of inner.#chunks) this.raw(chunk)
    return this
  }

  toBytes(): Uint8Array {
    // Every byte is written below: no need to zero the (large) buffer first.
    const out = Buffer.allocUnsafe(this.#length)
    let at = 0
    for (const chunk of this.#chunks) {
      out.set(chunk, at)
      at += chunk.length
    }
    return out
  }
}

function readVarint(bytes: Uint8Array, at: number): [number, number] {
  let value = 0
  let scale = 1
  const start = at
  for (let i = 0; i < 10; i++) {
    if (at >= bytes.length) throw new ProtobufError('a varint runs past the end of the message')
    const byte = bytes[at++]
    value += (byte & 0x7f) * scale
    if (byte < 0x80) return [i < 9 ? value : negativeInt64(bytes, start), at]
    scale *= 128
  }
  throw new ProtobufError('a varint is longer than 10 bytes')
}

/**
 * A 10-byte varint is a negative int64 (two's complement), e.g. an `axis` of -1: read exactly with
 * BigInt (a float sum loses its low bits).
 */
function negativeInt64(bytes: Uint8Array, at: number): number {
  let value = 0n
  for (let i = 0; i < 10; i++) value |= BigInt(bytes[at + i] & 0x7f) << BigInt(7 * i)
  return Number(BigInt.asIntN(64, value))
}

export function encodeVarint(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) throw new ProtobufError(`cannot encode ${value} as a varint`)
  const bytes: number[] = []
  while (value >= 0x80) {
    bytes.push((value % 128) | 0x80)
    value = Math.floor(value / 128)
  }
  bytes.push(value)
  return Uint8Array.from(bytes)
}
