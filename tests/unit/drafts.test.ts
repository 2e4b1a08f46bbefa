// @vitest-environment happy-dom
import 'fake-indexeddb/auto'
import { v4 as uuidv4 } from 'uuid'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { stashDrafts } from '../../offline/draftStash'
import { draftKey, readDrafts, writeDrafts } from '../../offline/drafts'
import { deleteLocalDb, localDbFor } from '../../offline/localDb'
import { draftOf, draftValue, flushDrafts, keepDraft, keepDraftValue } from '../../src/data/drafts'
import { user } from '../../src/data/session'
import { tech } from './helpers'

/**
 * Drafts (a half-written note, an estimate's lines) are kept in the signed-in user's own
 * database, so a reload or a killed app gives them back, another technician never sees them and
 * signing out deletes them with the rest.
 */

const someone = () => ({ ...tech, id: uuidv4() })
const stored = async (userId: string) =>
  Object.fromEntries((await readDrafts(localDbFor(userId))).map((r) => [r.key, r.value]))

afterEach(async () => {
  await flushDrafts()
  user.value = null
})

describe('the draft store (offline/drafts.ts)', () => {
  it('writes, replaces and deletes drafts in the user’s own database only', async () => {
    const [a, b] = [someone(), someone()]
    const dbA = localDbFor(a.id)
    await writeDrafts(dbA, [
      { kind: 'note', id: 'job-1', value: 'Compressor hums' },
      { kind: 'doc', id: 'estimate:e1', value: { base: 1, state: 2 } },
    ])
    await writeDrafts(dbA, [{ kind: 'note', id: 'job-1', value: 'Compressor hums, fan stuck' }])
    expect(await stored(a.id)).toEqual({
      [draftKey('note', 'job-1')]: 'Compressor hums, fan stuck',
      [draftKey('doc', 'estimate:e1')]: { base: 1, state: 2 },
    })
    expect(await stored(b.id)).toEqual({})
    // Drafts are not actions: nothing queued.
    expect(await dbA.outbox.count()).toBe(0)

    await writeDrafts(dbA, [{ kind: 'note', id: 'job-1', value: undefined }])
    expect(Object.keys(await stored(a.id))).toEqual([draftKey('doc', 'estimate:e1')])

    // Sign-out deletes the user's database: the drafts go with it.
    await deleteLocalDb(a.id)
    expect(await stored(a.id)).toEqual({})
    await deleteLocalDb(a.id)
  })
})

describe('drafts of the signed-in technician (src/data/drafts.ts)', () => {
  it('are written about 300 ms after the last change', async () => {
    const a = someone()
    user.value = a
    keepDraft('note', 'job-1', 'Fan')
    keepDraft('note', 'job-1', 'Fan stuck')
    expect(draftOf('note', 'job-1')).toBe('Fan stuck')
    await vi.waitFor(async () =>
      expect(await stored(a.id)).toEqual({ [draftKey('note', 'job-1')]: 'Fan stuck' }),
    )
    keepDraft('note', 'job-1', '')
    await vi.waitFor(async () => expect(await stored(a.id)).toEqual({}))
  })

  it('are written at once when the app is hidden or left (iOS may kill it in the background)', async () => {
    for (const leave of [
      () => {
        Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true })
        document.dispatchEvent(new Event('visibilitychange'))
      },
      () => dispatchEvent(new Event('pagehide')),
    ]) {
      const a = someone()
      user.value = a
      await vi.waitFor(async () => expect(await stored(a.id)).toEqual({})) // the read is done
      // The 300 ms timer never fires here (IndexedDB runs on setImmediate): only the event writes.
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
      try {
        keepDraft('note', 'job-1', 'Typed just before the phone locked')
        leave()
        // Not vi.waitFor: with fake timers it moves them on, which would fire the 300 ms timer.
        for (let i = 0; i < 100; i++) await new Promise((r) => setImmediate(r))
        expect(await stored(a.id)).toEqual({
          [draftKey('note', 'job-1')]: 'Typed just before the phone locked',
        })
      } finally {
        vi.useRealTimers()
        Reflect.deleteProperty(document, 'visibilityState')
      }
    }
  })

  it('come back from the device after a reload, and belong to their technician only', async () => {
    const [a, b] = [someone(), someone()]
    // What a page before the reload left on the device.
    await writeDrafts(localDbFor(a.id), [
      { kind: 'note', id: 'job-1', value: 'Left before the reload' },
    ])
    user.value = a
    await vi.waitFor(() => expect(draftOf('note', 'job-1')).toBe('Left before the reload'))

    // Another technician on the same tablet: nothing of a's, in memory or on their device.
    user.value = b
    expect(draftOf('note', 'job-1')).toBe('')
    keepDraftValue('form', 'f1', { q1: 'b typed this' })
    await flushDrafts()
    expect(await stored(b.id)).toEqual({ [draftKey('form', 'f1')]: { q1: 'b typed this' } })
    expect(Object.keys(await stored(a.id))).toEqual([draftKey('note', 'job-1')])

    user.value = a
    expect(draftValue('form', 'f1')).toBeUndefined()
    await vi.waitFor(() => expect(draftOf('note', 'job-1')).toBe('Left before the reload'))
  })

  it('an editor opening empty before the device is read does not delete the draft', async () => {
    const a = someone()
    await writeDrafts(localDbFor(a.id), [{ kind: 'note', id: 'job-1', value: 'Kept' }])
    user.value = a
    keepDraft('note', 'job-1', '') // the empty box's first "no draft"
    await flushDrafts()
    await vi.waitFor(() => expect(draftOf('note', 'job-1')).toBe('Kept'))
    expect(await stored(a.id)).toEqual({ [draftKey('note', 'job-1')]: 'Kept' })
  })

  it('typed before the device was read wins over what it held', async () => {
    const a = someone()
    await writeDrafts(localDbFor(a.id), [{ kind: 'note', id: 'job-1', value: 'Older' }])
    user.value = a
    keepDraft('note', 'job-1', 'Newer')
    await flushDrafts()
    await new Promise((r) => setTimeout(r, 50))
    expect(draftOf('note', 'job-1')).toBe('Newer')
    expect(await stored(a.id)).toEqual({ [draftKey('note', 'job-1')]: 'Newer' })
  })

  it('leaving the page also keeps what is unwritten in the tab, for the page that loads next', async () => {
    const [a, b] = [someone(), someone()]
    user.value = a
    await vi.waitFor(async () => expect(await stored(a.id)).toEqual({}))
    keepDraft('note', 'job-1', 'Typed, then reloaded at once')
    dispatchEvent(new Event('pagehide'))
    const stash = sessionStorage.getItem('fieldline-unwritten-drafts')
    expect(JSON.parse(stash ?? '{}')).toEqual({
      userId: a.id,
      changes: [{ kind: 'note', id: 'job-1', value: 'Typed, then reloaded at once' }],
    })
    await flushDrafts()

    // The next page of the tab, when the pagehide write was torn down with the old one: another
    // technician does not get it (and it is gone), its own technician does, and it is written.
    await writeDrafts(localDbFor(a.id), [{ kind: 'note', id: 'job-1', value: undefined }])
    stashDrafts(a.id, [{ kind: 'note', id: 'job-1', value: 'Typed, then reloaded at once' }])
    user.value = b
    await vi.waitFor(async () => expect(await stored(b.id)).toEqual({}))
    expect(sessionStorage.getItem('fieldline-unwritten-drafts')).toBeNull()
    stashDrafts(a.id, [{ kind: 'note', id: 'job-1', value: 'Typed, then reloaded at once' }])
    user.value = a
    await vi.waitFor(() => expect(draftOf('note', 'job-1')).toBe('Typed, then reloaded at once'))
    await vi.waitFor(async () =>
      expect(await stored(a.id)).toEqual({
        [draftKey('note', 'job-1')]: 'Typed, then reloaded at once',
      }),
    )
    expect(sessionStorage.getItem('fieldline-unwritten-drafts')).toBeNull()
  })
})
