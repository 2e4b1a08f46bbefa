/**
 * Only the fields that really changed travel, each with the value it replaces (the server
 * merges field by field against `base`); null when nothing changed.
 */
export function changedFields<T extends object>(current: T, next: Partial<T>) {
  const changes: Record<string, unknown> = {}
  const base: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(next)) {
    const old = (current as Record<string, unknown>)[key]
    if (JSON.stringify(old) !== JSON.stringify(value)) {
      changes[key] = value
      base[key] = old
    }
  }
  return Object.keys(changes).length > 0 ? { changes, base } : null
}
