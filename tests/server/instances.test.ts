import { type ChildProcess, spawn } from 'node:child_process'
import { createHash, randomUUID } from 'node:crypto'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Mutation } from '../../protocol/mutations'
import type { PushResponse } from '../../protocol/sync'
import { encodePng } from '../../server/db/seed/png'
import { ALEX, noteAdd } from './helpers'
import { createTestDatabase, TEST_STORE, type TestDatabase } from './stores'

const ROOT = resolve(import.meta.dirname, '../..')

interface Instance {
  url: string
  proc: ChildProcess
}

/**
 * Several stateless API instances on one PostgreSQL, for real: the server is built once
 * (vite.server.config.ts into a temp folder) and started twice as two OS processes on two ports,
 * each with its own connection pool, both on the same fresh database. They start at the same
 * moment on the empty database, so they also race to migrate and seed it.
 */
describe.runIf(TEST_STORE === 'postgres')('two API instances on one PostgreSQL', () => {
  let database: TestDatabase
  let out: string
  let a: Instance
  let b: Instance

  beforeAll(async () => {
    database = await createTestDatabase('postgres')
    // Inside the checkout (.tmp/ is git-ignored) so the bundle's imports find node_modules.
    await mkdir(join(ROOT, '.tmp'), { recursive: true })
    out = await mkdtemp(join(ROOT, '.tmp', 'instances-'))
    await build({
      root: ROOT,
      configFile: join(ROOT, 'vite.server.config.ts'),
      logLevel: 'silent',
      build: { outDir: out, sourcemap: false },
    })
    ;[a, b] = await Promise.all([start(out, database), start(out, database)])
  }, 120_000)

  afterAll(async () => {
    for (const instance of [a, b]) {
      if (instance && instance.proc.exitCode === null) {
        const exited = new Promise((r) => instance.proc.once('exit', r))
        instance.proc.kill('SIGTERM')
        await exited
      }
    }
    await database?.drop()
    if (out) await rm(out, { recursive: true, force: true })
  })

  it('seeded the shared database once', async () => {
    const users = await database.db.kysely.selectFrom('users').select('email').execute()
    expect(users.filter((u) => u.email === ALEX)).toHaveLength(1)
  })

  it('applies a device’s pushes alternating between instances, duplicated and racing, each once and in order', async () => {
    // A session made on one instance works on the other: sessions live in the database.
    const cookie = await signIn(a, ALEX)
    const job = await alexJob(database)
    const device = randomUUID()
    const batches: Mutation[][] = []
    let seq = 0
    for (let i = 0; i < 12; i++) {
      batches.push(Array.from({ length: 25 }, () => noteAdd(job.id, ++seq, `multi ${seq}`)))
    }
    const answers: PushResponse[] = []
    const send = async (instance: Instance, batch: Mutation[]) => {
      const res = await fetch(`${instance.url}/api/sync/push`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ deviceId: device, mutations: batch }),
      })
      expect(res.status).toBe(200)
      const body = (await res.json()) as PushResponse
      answers.push(body)
      return body
    }

    for (const [i, batch] of batches.entries()) {
      const here = i % 2 === 0 ? a : b
      const there = i % 2 === 0 ? b : a
      if (i % 3 === 2) {
        // The same batch to both instances at once (a retry racing the original).
        const [x, y] = await Promise.all([send(here, batch), send(there, batch)])
        const statuses = [x, y].map((r) => [...new Set(r.results.map((m) => m.status))].join())
        expect(statuses.sort()).toEqual(['applied', 'duplicate'])
      } else {
        const first = await send(here, batch)
        expect(first.results.every((m) => m.status === 'applied')).toBe(true)
        // The answer was "lost": the device sends the same batch again, to the other instance.
        const again = await send(there, batch)
        expect(again.results.every((m) => m.status === 'duplicate')).toBe(true)
      }
    }

    // Every mutation answered 'applied' exactly once over all answers, 'duplicate' otherwise.
    const applied = new Map<string, number>()
    for (const answer of answers) {
      for (const r of answer.results) {
        expect(['applied', 'duplicate']).toContain(r.status)
        if (r.status === 'applied') applied.set(r.id, (applied.get(r.id) ?? 0) + 1)
      }
    }
    expect(applied.size).toBe(seq)
    expect([...applied.values()].every((n) => n === 1)).toBe(true)

    // The database agrees: each note once, each record once, last_seq at the end.
    const noteIds = batches.flat().map((m) => (m.args as { id: string }).id)
    const notes = await database.db.kysely
      .selectFrom('notes')
      .select(['id', 'body', 'rev'])
      .where('id', 'in', noteIds)
      .execute()
    expect(notes).toHaveLength(seq)
    const processed = await database.db.kysely
      .selectFrom('processed_mutations')
      .select(['seq', 'status'])
      .where('device_id', '=', device)
      .orderBy('seq')
      .execute()
    expect(processed.map((p) => p.seq)).toEqual(Array.from({ length: seq }, (_, i) => i + 1))
    expect(new Set(processed.map((p) => p.status))).toEqual(new Set(['applied']))
    const row = await database.db.kysely
      .selectFrom('devices')
      .select('last_seq')
      .where('id', '=', device)
      .executeTakeFirstOrThrow()
    expect(row.last_seq).toBe(seq)

    // In order: a later action never committed with an earlier revision than one before it.
    const revOf = new Map(notes.map((n) => [n.id, n.rev]))
    const revs = noteIds.map((id) => revOf.get(id) ?? -1)
    for (let i = 1; i < revs.length; i++) expect(revs[i]).toBeGreaterThanOrEqual(revs[i - 1] ?? 0)
  })

  it('serves a file uploaded through one instance from the other', async () => {
    const cookie = await signIn(b, ALEX)
    const bytes = encodePng(8, 8, (u, v) => [u * 255, v * 255, 64])
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    const id = randomUUID()
    const put = await fetch(`${a.url}/api/attachments/${id}/file`, {
      method: 'PUT',
      headers: { 'content-type': 'image/png', 'x-content-sha256': sha256, cookie },
      body: bytes,
    })
    expect(put.status).toBe(201)
    const job = await alexJob(database)
    const at = new Date().toISOString()
    const add = await fetch(`${b.url}/api/sync/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({
        deviceId: randomUUID(),
        mutations: [
          {
            id: randomUUID(),
            seq: 1,
            name: 'attachment.add',
            at,
            args: {
              id,
              jobId: job.id,
              kind: 'photo',
              filename: 'meter.png',
              mimeType: 'image/png',
              size: bytes.length,
              sha256,
              takenAt: at,
              thumbnail: 'data:image/png;base64,AA==',
            },
          },
        ],
      }),
    })
    const added = ((await add.json()) as PushResponse).results[0]
    expect(added?.status, JSON.stringify(added)).toBe('applied')
    const get = await fetch(`${b.url}/api/attachments/${id}/file`, { headers: { cookie } })
    expect(get.status).toBe(200)
    expect(Buffer.from(await get.arrayBuffer()).equals(bytes)).toBe(true)
  })
})

async function start(out: string, database: TestDatabase): Promise<Instance> {
  const proc = spawn(process.execPath, [join(out, 'main.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      STATIC_DIR: join(out, 'no-static'),
      LOG_LEVEL: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const url = await new Promise<string>((ok, fail) => {
    let text = ''
    const timer = setTimeout(() => fail(new Error(`instance did not start: ${text}`)), 60_000)
    const onData = (chunk: Buffer) => {
      text += chunk.toString()
      const match = /Fieldline is running at (http:\/\/\S+)/.exec(text)
      if (match?.[1]) {
        clearTimeout(timer)
        ok(match[1].replace('localhost', '127.0.0.1'))
      }
    }
    proc.stdout?.on('data', onData)
    proc.stderr?.on('data', onData)
    proc.once('exit', (code) => {
      clearTimeout(timer)
      fail(new Error(`instance exited with ${code}: ${text}`))
    })
  })
  proc.stdout?.resume()
  proc.stderr?.resume()
  return { url, proc }
}

async function signIn(instance: Instance, email: string): Promise<string> {
  const res = await fetch(`${instance.url}/api/auth/signin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'fieldline' }),
  })
  expect(res.status).toBe(200)
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
}

/** A job of Alex's (the newest), read straight from the shared database. */
function alexJob(database: TestDatabase) {
  return database.db.kysely
    .selectFrom('jobs')
    .innerJoin('users', 'users.id', 'jobs.technician_id')
    .select(['jobs.id'])
    .where('users.email', '=', ALEX)
    .orderBy('jobs.number', 'desc')
    .executeTakeFirstOrThrow()
}
