import { randomUUID } from 'node:crypto'
import fc from 'fast-check'

/**
 * A JSON number token sent as written. JSON.stringify cannot produce `-0` (it writes 0) or
 * `1e400` (Infinity becomes null), but a device's body can hold them, and JSON.parse reads them
 * as -0 and Infinity, which valibot's number() accepts.
 */
export class RawJson {
  constructor(readonly text: string) {}
  [fc.toStringMethod](): string {
    return `raw(${this.text})`
  }
}

export const raw = (text: string) => new RawJson(text)

/** JSON text of a value, with every RawJson written as its own token. */
export function toJsonText(value: unknown): string {
  // A marker no generated string can contain: it holds a fresh random nonce.
  const nonce = randomUUID()
  const tokens: string[] = []
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (!(v instanceof RawJson)) return v
    tokens.push(v.text)
    return `${nonce}:${tokens.length - 1}`
  })
  return text.replace(new RegExp(`"${nonce}:(\\d+)"`, 'g'), (_m, i: string) => tokens[Number(i)]!)
}
