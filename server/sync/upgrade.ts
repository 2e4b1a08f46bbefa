import { type MutationName, parseMutationArgs } from '../../protocol/mutations'
import type { ReceivedPush } from '../../protocol/sync'
import { PROTOCOL_VERSION, UNNAMED_PROTOCOL_VERSION } from '../../protocol/version'
import { argsHash } from './argsHash'

/** Turns one action's args from the shape of version n-1 into the shape of version n. */
type Upgrader = (args: Record<string, unknown>) => Record<string, unknown>

/**
 * The one place old action shapes become current ones: `upgraders[n]` takes an action made with
 * version n-1 to version n, per action name; an action without an entry is unchanged by that
 * step. An action made with version k goes through k+1, k+2, … up to PROTOCOL_VERSION, so a
 * step must stay here as long as a device may still hold an action of that age (at most the
 * processed-id retention, 90 days: older actions are refused `too_old` anyway).
 *
 * Upgraders see the args before validation: anything unexpected is left as it is, and the
 * current schema then rejects it as `invalid` like any bad input.
 */
export const upgraders: Record<number, Partial<Record<MutationName, Upgrader>>> = {
  2: {
    // Version 1 sent `reference: null` for "no reference"; version 2 leaves the key out.
    'payment.add': (args) => {
      if (args.reference !== null) return args
      const { reference: _none, ...rest } = args
      return rest
    },
  },
}

/** An action's args made with version `from`, in the current shape. */
export function upgradeArgs(name: MutationName, args: unknown, from: number): unknown {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return args
  let out = args as Record<string, unknown>
  for (let n = from + 1; n <= PROTOCOL_VERSION; n++) {
    const step = upgraders[n]?.[name]
    if (step) out = step(out)
  }
  return out
}

export interface UpgradedPush {
  request: ReceivedPush
  /**
   * For each action whose args an upgrade changed, the hash of its args as made. A server before
   * the upgrade recorded that hash when it applied the action, so a resend across the deployment
   * (its answer was lost) must still count as the same action, not as `id_reused`. A limit: it
   * is the hash of the args as the device sent them, which is what that server's parse returned
   * for everything a device's own parse already cleaned (all of it, for the app's own actions).
   */
  earlierHashes: Map<string, string>
}

/** Brings every action of a push to the current shape, each from the version it was made with. */
export function upgradePush(request: ReceivedPush): UpgradedPush {
  const earlierHashes = new Map<string, string>()
  const mutations = request.mutations.map((m) => {
    // An action that could not be read is answered `invalid` as it is (applyBatch.ts).
    if (m.invalid !== undefined) return m
    const from = m.v ?? UNNAMED_PROTOCOL_VERSION
    if (from >= PROTOCOL_VERSION) return m
    const args = upgradeArgs(m.name, m.args, from)
    if (args === m.args) return m
    // Only an action whose upgraded args are valid is ever matched against its earlier hash
    // (applyBatch.ts); the rest are refused `invalid`. Hashing args nobody has validated yet ran
    // canonicalJson's recursion over whatever a client nested in them: a v1 payment.add with
    // 100,000 nested arrays beside `reference: null` overflowed the stack, and the whole push
    // was a 500 that the device would send again forever.
    if (parseMutationArgs(m.name, args).ok) earlierHashes.set(m.id, argsHash(m.name, m.args))
    return { ...m, args, v: PROTOCOL_VERSION }
  })
  return { request: { ...request, mutations }, earlierHashes }
}
