// The model-input tensors of one batch: one per distinct input the members take (size, layout,
// normalisation, channel order) and set of images, written when first needed. The last batch's
// tensor is kept to be overwritten by the next batch of the same size.
import { inputKey, type InputFormulation } from '../../src-shared/formulation.ts'
import type { DecodedImage } from './decode.ts'
import { writeModelInput } from './modelInput.ts'

export class BatchInputs {
  /** The last batch's input array, free to be overwritten by the next batch of the same size. */
  #spare: Float32Array | null = null

  /** Tensors for `images`; call keep() when the batch is done. */
  forBatch(images: readonly DecodedImage[]): BatchTensors {
    return new BatchTensors(images, (length) => this.#take(length))
  }

  /** Keeps the batch's tensor of `spec` over every image for the next batch. */
  keep(batch: BatchTensors, spec: InputFormulation): void {
    const spare = batch.whole(spec)
    if (spare) this.#spare = spare
  }

  #take(length: number): Float32Array {
    const spare = this.#spare
    this.#spare = null
    return spare?.length === length ? spare : new Float32Array(length)
  }
}

export class BatchTensors {
  readonly #tensors = new Map<string, Float32Array>()
  readonly #images: readonly DecodedImage[]
  readonly #allocate: (length: number) => Float32Array

  constructor(images: readonly DecodedImage[], allocate: (length: number) => Float32Array) {
    this.#images = images
    this.#allocate = allocate
  }

  /** The input tensor of `spec` for the images at `indices`, in that order. */
  get(spec: InputFormulation, indices: readonly number[]): Float32Array {
    const key = `${inputKey(spec)}|${indices.join(',')}`
    let input = this.#tensors.get(key)
    if (!input) {
      const itemSize = spec.height * spec.width * spec.channels
      const whole = this.whole(spec)
      input = whole && indices.length < this.#images.length ? gatherItems(whole, itemSize, indices) : this.#write(indices, spec, itemSize * indices.length)
      this.#tensors.set(key, input)
    }
    return input
  }

  /** The tensor of `spec` over every image, if it was written. */
  whole(spec: InputFormulation): Float32Array | undefined {
    return this.#tensors.get(`${inputKey(spec)}|${this.#images.map((_, b) => b).join(',')}`)
  }

  #write(indices: readonly number[], spec: InputFormulation, length: number): Float32Array {
    const input = this.#allocate(length)
    indices.forEach((b, s) => {
      const image = this.#images[b]
      const pixels = spec.channelOrder === 'BGR' && image.channels === 3 ? swapRedBlue(image.pixels) : image.pixels
      writeModelInput(pixels, image.height, image.width, spec, input, s)
    })
    return input
  }
}

function gatherItems(batch: Float32Array, itemSize: number, indices: readonly number[]): Float32Array {
  const out = new Float32Array(itemSize * indices.length)
  indices.forEach((b, s) => out.set(batch.subarray(b * itemSize, (b + 1) * itemSize), s * itemSize))
  return out
}

/** RGB → BGR (or back) of interleaved 3-channel pixels. */
function swapRedBlue(pixels: Uint8Array): Uint8Array {
  const out = new Uint8Array(pixels.length)
  for (let i = 0; i < pixels.length; i += 3) {
    out[i] = pixels[i + 2]
    out[i + 1] = pixels[i + 1]
    out[i + 2] = pixels[i]
  }
  return out
}
