import { afterEach, describe, expect, it, vi } from 'vitest'
import { deviceIdentity } from '../../offline/meta'
import { listOutbox } from '../../offline/outbox'
import { perform } from '../../offline/perform'
import { drain } from '../../offline/syncEngine'
import type { PushRequest } from '../../protocol/sync'
import { freshDb, noteArgs, tech } from './helpers'

afterEach(() => vi.unstubAllGlobals())

describe("the device's identity", () => {
  it('is made once: an id and a 43-character secret, the same on every call', async () => {
    const { db } = await freshDb()
    const a = await deviceIdentity(db)
    expect(a.secret).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(await deviceIdentity(db)).toEqual(a)
  })

  it('taken by another installation (device_not_yours): a new one, and the same actions go under it', async () => {
    const { db, jobs } = await freshDb()
    await perform(db, tech, 'note.add', noteArgs(jobs[0]!.id, 'kept'))
    const old = await deviceIdentity(db)
    const pushes: PushRequest[] = []
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      const req = JSON.parse(String(init.body)) as PushRequest
      pushes.push(req)
      if (req.deviceId === old.id) {
        return Response.json(
          {
            error: 'device_not_yours',
            message: 'This device id is registered to another installation.',
          },
          { status: 403 },
        )
      }
      return Response.json({
        results: req.mutations.map((m) => ({ id: m.id, seq: m.seq, status: 'applied' })),
      })
    })
    const report = await drain(db)
    expect(report).toMatchObject({ outcome: 'done', uploaded: 1, failed: 0 })
    expect(await listOutbox(db)).toEqual([])
    const renewed = await deviceIdentity(db)
    expect(renewed.id).not.toBe(old.id)
    expect(pushes.map((p) => p.deviceId)).toEqual([old.id, renewed.id])
    expect(pushes[1]?.deviceSecret).toBe(renewed.secret)
    expect(pushes[1]?.mutations[0]?.id).toBe(pushes[0]?.mutations[0]?.id)
  })
})
