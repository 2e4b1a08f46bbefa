import fc from 'fast-check'
import * as v from 'valibot'
import { AppointmentCreate, AppointmentReschedule } from '../../protocol/mutations'
import type { Pools } from './catalog'
import { createdId, jobIdArb, nearId, ownedId } from './ids'
import { nearInteger } from './numbers'
import { type Flavours, nearFields, shapeNoise } from './step'
import { isoShape, nearIso, validTimeRange } from './times'

/** Arbitraries of the visits: appointment.create and appointment.reschedule. */

export function appointmentCreate(pools: Pools): Flavours {
  const valid = fc
    .record({
      id: createdId(pools.appointments.mine),
      jobId: jobIdArb(pools),
      times: validTimeRange(),
    })
    .map(({ times, ...rest }) => ({ ...rest, ...times }))
    // The schema's "ends after it starts" reads the times with Date: shapes it cannot read fail it.
    .filter((args) => v.is(AppointmentCreate, args))
  const swapped = valid.chain((args) =>
    fc.constantFrom(
      { ...args, startsAt: args.endsAt, endsAt: args.startsAt },
      { ...args, endsAt: args.startsAt },
    ),
  )
  return {
    valid: valid.map((args) => ({ name: 'appointment.create', args })),
    nearValid: fc
      .oneof(
        {
          weight: 4,
          arbitrary: nearFields(valid, {
            id: nearId([]),
            jobId: nearId(pools.jobs.mine),
            startsAt: nearIso,
            endsAt: nearIso,
          }),
        },
        { weight: 1, arbitrary: swapped },
      )
      .map((args) => ({ name: 'appointment.create', args })),
  }
}

export function appointmentReschedule(pools: Pools): Flavours {
  const valid = fc
    .record({
      appointmentId: ownedId(pools.appointments),
      baseVersion: fc.nat(20),
      times: validTimeRange(),
      base: validTimeRange(),
    })
    .map(({ times, ...rest }) => ({ ...rest, ...times }))
    .filter((args) => v.is(AppointmentReschedule, args))
  return {
    valid: fc.tuple(valid, fc.option(isoShape, { freq: 2 })).map(([args, shape]) => ({
      name: 'appointment.reschedule',
      args,
      fill: shape ? { shape } : {},
    })),
    nearValid: fc
      .record({
        args: nearFields(valid, {
          appointmentId: nearId(pools.appointments.mine),
          baseVersion: nearInteger(0, Number.MAX_SAFE_INTEGER),
          startsAt: nearIso,
          endsAt: nearIso,
          base: fc.record({ startsAt: nearIso, endsAt: nearIso }).chain(shapeNoise),
        }),
        fill: fc.option(fc.option(isoShape).map((shape) => (shape ? { shape } : {}))),
      })
      .map(({ args, fill }) => ({
        name: 'appointment.reschedule',
        args,
        ...(fill && { fill }),
      })),
  }
}
