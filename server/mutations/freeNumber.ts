import { DOC_NUMBER_MAX } from '../../protocol/mutations'

/**
 * The number a new document gets on its job: `wanted` when no document of its kind there has it,
 * else the next free one. A trailing "-N" counts up (E-1254-2 taken → E-1254-3); anything else
 * gets "-2", "-3"… The digits are counted as a BigInt: a device may send any digits (the schema
 * allows 40 characters), and as a Number, "E-9007199254740992" plus one is itself, so the search
 * never moved on and held the server's only thread (and, on PostgreSQL, the revision lock of every
 * instance) for good. Each step now names a new number, so one of the first taken.size + 1 is
 * free; the loop stops there whatever happens, so a mistake here fails one action, not the server.
 */
export function freeNumber(taken: ReadonlySet<string>, wanted: string): string {
  if (!taken.has(wanted)) return wanted
  const m = /^(.*-)(\d+)$/.exec(wanted)
  const stem = m ? (m[1] as string) : `${wanted}-`
  let n = m ? BigInt(m[2] as string) + 1n : 2n
  // Twice the steps: a shortened stem can name a number twice (…1 + "23", … + "123").
  for (let step = 0; step <= 2 * taken.size + 1; step++, n++) {
    const digits = String(n)
    // Within the schema's length, by shortening the stem: "E-99…9" (40 characters) taken gave a
    // 41-character number, stored, that the app could then not send back in any edit.
    const candidate = `${stem.slice(0, Math.max(0, DOC_NUMBER_MAX - digits.length))}${digits}`
    if (!taken.has(candidate)) return candidate
  }
  throw new Error(`No free document number after ${wanted}`)
}
