// @ts-check
import { randomBytes, randomUUID } from 'node:crypto'
import { makeAction } from './actions.mjs'
import { Client } from './client.mjs'
import { PASSWORD } from './company.mjs'

/**
 * A simulated device: a plain Node client that speaks the real protocol as the app does (sign
 * in; pull page after page into a local copy, removals first, keeping the cursor of the last
 * page; queue actions; upload photos, then push the queue oldest first in batches; pull after
 * an upload). What it sent and what it was answered is kept for the checks (verify.mjs).
 *
 * @typedef {import('./actions.mjs').Action} Action
 * @typedef {import('./stats.mjs').Recorder} Recorder
 * @typedef {{ index: number, email: string, cluster: import('./client.mjs').Cluster, recorder: Recorder, rng: () => number, batchMax: number, resendRate: number }} DeviceOptions
 */
export class Device {
  /** @param {DeviceOptions} o */
  constructor(o) {
    this.o = o
    this.client = new Client(o.cluster, o.index)
    this.deviceId = randomUUID()
    this.secret = randomBytes(32).toString('base64url')
    /** @type {{ id: string, role: string } | null} */
    this.user = null
    /** Local copy: `${table}:${id}` → row, as the device's IndexedDB holds it. */
    /** @type {Map<string, any>} */
    this.local = new Map()
    /** @type {string | null} */
    this.cursor = null
    this.seq = 0
    /** @type {Action[]} */
    this.queue = []
    /** Every action pushed, in order, with the answers it got. */
    /** @type {Array<Action & { answers: string[] }>} */
    this.sent = []
    this.pages = 0
  }

  get userId() {
    return this.user?.id ?? ''
  }

  rng() {
    return this.o.rng()
  }

  nextSeq() {
    this.seq += 1
    return this.seq
  }

  /**
   * A request as the app makes it: a dropped connection or a 5xx (an instance restarting, the
   * database busy) is tried again after a short wait, as the app's backoff would; a 4xx is a
   * bug in the client or the server, reported and not retried.
   * @param {string} kind @param {'GET' | 'POST' | 'PUT' | 'PATCH'} method @param {string} path
   * @param {Parameters<Client['request']>[2]} [opts]
   */
  async call(kind, method, path, opts) {
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await this.client.request(method, path, opts)
        if (res.status < 500) {
          this.o.recorder.add(kind, res.ms)
          if (res.status >= 400) {
            this.o.recorder.error(kind, `${res.status} ${res.body?.error ?? ''}`)
            throw new Error(`${kind}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`)
          }
          return res
        }
        this.o.recorder.error(kind, `${res.status} ${res.body?.error ?? ''} (retried)`)
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err)
        if (message.startsWith(`${kind}: 4`)) throw err
        this.o.recorder.error(kind, `${/** @type {any} */ (err)?.code ?? message} (retried)`)
      }
      if (attempt >= 30) throw new Error(`${kind}: still failing after ${attempt} attempts`)
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200 * attempt))
    }
  }

  async signIn() {
    const res = await this.call('signin', 'POST', '/api/auth/signin', {
      json: { email: this.o.email, password: PASSWORD },
    })
    this.user = res.body.user
  }

  /**
   * Pulls page after page until the server says no more, each page put over the local copy
   * (removals first, as the app does) with its cursor. `cold`: from nothing, as a new device.
   * Returns the pages, rows and bytes.
   * @param {'cold' | 'delta'} mode
   */
  async pull(mode) {
    if (mode === 'cold') {
      this.local.clear()
      this.cursor = null
    }
    const started = performance.now()
    let pages = 0
    let rows = 0
    let bytes = 0
    for (;;) {
      const path = `/api/sync/pull${this.cursor ? `?cursor=${encodeURIComponent(this.cursor)}` : ''}`
      const res = await this.call(`page.${mode}`, 'GET', path)
      const body = res.body
      for (const r of body.removed) this.local.delete(`${r.table}:${r.id}`)
      for (const [table, list] of Object.entries(body.changes)) {
        for (const row of /** @type {any[]} */ (list)) this.local.set(`${table}:${row.id}`, row)
        rows += /** @type {any[]} */ (list).length
      }
      this.cursor = body.cursor
      pages++
      bytes += res.bytes
      if (!body.more) break
    }
    this.pages += pages
    this.o.recorder.add(`pull.${mode}`, performance.now() - started)
    return { pages, rows, bytes }
  }

  /** Queues one action of this kind (null when the device has nothing to do it on). */
  /** @param {import('./actions.mjs').Kind} kind */
  act(kind) {
    const action = makeAction(this, kind)
    if (action) this.queue.push(action)
    return action
  }

  /**
   * Uploads what waits: photo bytes first (each on its own PUT), then the actions oldest first in
   * batches. Now and then a batch is sent twice (`resendRate`: an answer lost on the way, as on a
   * weak link); the second answer must say duplicate for everything.
   */
  async drain() {
    for (const action of this.queue) {
      if (!action.file) continue
      await this.call('upload', 'PUT', `/api/attachments/${action.file.id}/file`, {
        bytes: action.file.bytes,
        headers: { 'content-type': 'image/jpeg', 'x-content-sha256': action.file.sha256 },
      })
      action.file.bytes = Buffer.alloc(0)
    }
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, this.o.batchMax)
      const payload = {
        deviceId: this.deviceId,
        deviceSecret: this.secret,
        mutations: batch.map((a) => a.mutation),
      }
      const res = await this.call('push', 'POST', '/api/sync/push', { json: payload })
      const answers = new Map(
        res.body.results.map((/** @type {{ id: string, status: string }} */ r) => [r.id, r.status]),
      )
      const resent =
        this.rng() < this.o.resendRate
          ? await this.call('resend', 'POST', '/api/sync/push', { json: payload })
          : null
      const again = new Map(
        (resent?.body.results ?? []).map((/** @type {{ id: string, status: string }} */ r) => [
          r.id,
          r.status,
        ]),
      )
      for (const action of batch) {
        const id = action.mutation.id
        const list = [answers.get(id) ?? 'missing']
        if (resent) list.push(again.get(id) ?? 'missing')
        this.sent.push({ ...action, answers: list })
      }
      this.queue.splice(0, batch.length)
    }
  }

  close() {
    this.client.close()
  }
}
