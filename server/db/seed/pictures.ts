import { encodePng, type Rgb } from './png'

/**
 * Simple coloured scenes for the demo photos: a sky or wall gradient, a floor, and one object
 * (a tank, a panel, a pipe run, a unit) in a colour of its own. The same scene renders at any
 * size, so a photo and its thumbnail match.
 */
const PALETTE: readonly Rgb[] = [
  [200, 70, 60],
  [60, 130, 200],
  [80, 160, 90],
  [220, 170, 50],
  [140, 90, 170],
  [90, 90, 100],
]

export const SCENE_COUNT = 6

export function scene(variant: number): (u: number, v: number) => Rgb {
  const top = PALETTE[variant % PALETTE.length] as Rgb
  const object = PALETTE[(variant + 2) % PALETTE.length] as Rgb
  const horizon = 0.6 + (variant % 3) * 0.08
  const shape = variant % 3
  const cx = 0.3 + (variant % 4) * 0.13
  return (u, v) => {
    if (shape === 0) {
      // A cylinder (a water heater): a rectangle with a round top.
      const inBody = Math.abs(u - cx) < 0.12 && v > 0.3 && v < horizon + 0.1
      const inTop = (u - cx) ** 2 / 0.0144 + (v - 0.3) ** 2 / 0.0025 < 1
      if (inBody || inTop) return shade(object, 1 - Math.abs(u - cx) * 3)
    } else if (shape === 1) {
      // A panel: a box with breaker rows.
      if (Math.abs(u - cx) < 0.15 && Math.abs(v - 0.45) < 0.25) {
        const row = Math.floor((v - 0.2) * 20) % 2 === 0
        return row && Math.abs(u - cx) < 0.1 ? [30, 30, 30] : shade(object, 0.9)
      }
    } else if (Math.abs(v - (0.35 + u * 0.2)) < 0.035 || (Math.abs(u - cx) < 0.03 && v < horizon)) {
      // A pipe run.
      return shade(object, 1.1)
    }
    if (v > horizon) return shade([120, 100, 80], 1.1 - (v - horizon))
    return shade(top, 0.55 + v * 0.7)
  }
}

function shade(c: Rgb, k: number): Rgb {
  return [c[0] * k, c[1] * k, c[2] * k]
}

export function photoPng(variant: number): Buffer {
  return encodePng(320, 240, scene(variant))
}

export function thumbnailPng(variant: number): Buffer {
  return encodePng(96, 72, scene(variant))
}

/** A signature-like squiggle: dark ink on white, 300×100. */
export function signaturePng(variant: number): Buffer {
  const a = 3 + (variant % 3)
  const b = 0.15 + (variant % 4) * 0.03
  return encodePng(300, 100, (u, v) => {
    const x = u * Math.PI * 2 * a
    const curve = 0.5 + b * Math.sin(x) * Math.cos(x / 3 + variant) + 0.1 * Math.sin(x * 0.5)
    const inInk = u > 0.05 && u < 0.95 && Math.abs(v - curve) < 0.025
    const underline = v > 0.88 && v < 0.9 && u > 0.03 && u < 0.97
    return inInk ? [20, 30, 90] : underline ? [170, 170, 170] : [255, 255, 255]
  })
}

export const dataUrl = (png: Buffer) => `data:image/png;base64,${png.toString('base64')}`
