import * as crypto from 'node:crypto'

/**
 * SHA-256 of a mutation's name and its parsed args, with object keys sorted, so the same action
 * hashes the same whatever order a client wrote its JSON in. Recorded with each processed id:
 * the same id coming back with another hash is not a resend but a different action under a
 * reused id (`id_reused`), which must not be answered 'duplicate' and dropped by the device.
 */
export function argsHash(name: string, args: unknown): string {
  const text = `${name}\n${canonicalJson(args)}`
  // One-shot hash: a push hashes every mutation, and it takes about 40% less time than a Hash
  // object; the same bytes, so the same hex as before. Node before 20.12 lacks it.
  if (typeof crypto.hash === 'function') return crypto.hash('sha256', text, 'hex')
  return crypto.createHash('sha256').update(text).digest('hex')
}

/**
 * JSON with object keys sorted (by UTF-16 code unit, as `<` compares) and undefined members left
 * out. Hashes are stored, so its output may never change: tests/property/argsHash.test.ts holds
 * the first version and checks both agree on any JSON value. Written with loops and `+=` rather
 * than entries/sort/map/join: a push hashes every action, and this took about half the time.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) {
    let out = '['
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i])
    return `${out}]`
  }
  const record = value as Record<string, unknown>
  const keys = Object.keys(record).sort()
  let out = '{'
  for (const key of keys) {
    const member = record[key]
    if (member === undefined) continue
    out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`
  }
  return `${out}}`
}
