import fc from 'fast-check'
import { MAX_PUSH_BATCH } from '../../protocol/limits'
import { nearId } from './ids'
import { nearInteger } from './numbers'
import type { Envelope } from './pushCase'
import { nearIso } from './times'

/**
 * The push around the actions, at its limits: a device's sequence number from 1 to 2^53 - 1
 * (the schema's Seq; past 2^31 a PostgreSQL integer column would overflow) and just past it,
 * odd mutation ids, `at` in every timestamp shape, names that are not actions, odd device ids.
 * Each case is a new device, so any first sequence number is in order.
 */
export const envelopeArb: fc.Arbitrary<Envelope> = fc.record(
  {
    deviceId: fc.oneof(
      { weight: 4, arbitrary: fc.uuid() },
      { weight: 1, arbitrary: fc.uuid().map((id) => id.toUpperCase()) },
      { weight: 1, arbitrary: nearId([]) },
    ),
    id: nearId([]),
    seq: fc.oneof(
      nearInteger(1, Number.MAX_SAFE_INTEGER),
      fc.constantFrom(2 ** 31 - 1, 2 ** 31, 2 ** 32 + 1, MAX_PUSH_BATCH + 1),
    ),
    name: fc.constantFrom('note.ADD', 'Note.add', '', '__proto__', 'toString', 'note.add '),
    at: nearIso,
  },
  { requiredKeys: ['deviceId'] },
)
