/** Structural equality of JSON values; object key order does not matter, undefined keys are absent. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]))
  }
  const ao = a as Record<string, unknown>
  const bo = b as Record<string, unknown>
  const keys = Object.keys(ao).filter((k) => ao[k] !== undefined)
  const otherKeys = Object.keys(bo).filter((k) => bo[k] !== undefined)
  return keys.length === otherKeys.length && keys.every((k) => jsonEqual(ao[k], bo[k]))
}
