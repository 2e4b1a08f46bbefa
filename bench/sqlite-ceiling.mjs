// @ts-check
// Raw better-sqlite3 ceiling for the push's SQL (not part of `npm run bench`): the same queries
// push.ts runs per mutation, as prepared statements, 25 batches of 200, synchronous FULL vs
// NORMAL, on a copy of a server database. Usage: node bench/sqlite-ceiling.mjs <db.sqlite>
// (e.g. the file `npm run bench -- --profile` keeps).
import { randomUUID } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'

const src = process.argv[2]
if (!src) throw new Error('usage: node bench/sqlite-ceiling.mjs <db.sqlite>')
for (const sync of ['FULL', 'NORMAL']) {
  const file = join(mkdtempSync(join(tmpdir(), 'sqlite-ceiling-')), 'db.sqlite')
  const source = new Database(src, { readonly: true })
  await source.backup(file)
  source.close()
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${sync}`)
  db.pragma('foreign_keys = ON')
  const user = /** @type {{ id: string }} */ (
    db.prepare("SELECT id FROM users WHERE email = 'jordan@fieldline.test'").get()
  )
  const job = /** @type {{ id: string }} */ (
    db.prepare('SELECT id FROM jobs WHERE technician_id = ? LIMIT 1').get(user.id)
  )
  const device = randomUUID()
  db.prepare('INSERT INTO devices (id, user_id, last_seq) VALUES (?, ?, 0)').run(device, user.id)
  const selJob = db.prepare('SELECT id, number, technician_id FROM jobs WHERE id = ?')
  const selNote = db.prepare('SELECT job_id FROM notes WHERE id = ?')
  const insNote = db.prepare(
    'INSERT INTO notes (id, job_id, author_id, body, created_at, rev) VALUES (?, ?, ?, ?, ?, ?)',
  )
  const insProcessed = db.prepare(
    'INSERT INTO processed_mutations (id, device_id, seq, user_id, name, status, code, reason, processed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  )
  const nextRev = db.prepare(
    "UPDATE counters SET value = value + 1 WHERE name = 'rev' RETURNING value",
  )
  const setSeq = db.prepare('UPDATE devices SET last_seq = ? WHERE id = ?')
  let seq = 0
  const started = performance.now()
  for (let b = 0; b < 25; b++) {
    db.transaction(() => {
      const rev = /** @type {{ value: number }} */ (nextRev.get()).value
      const now = new Date().toISOString()
      for (let i = 0; i < 200; i++) {
        seq++
        selJob.get(job.id)
        selNote.get(randomUUID())
        insNote.run(randomUUID(), job.id, user.id, `ceiling ${seq}`, now, rev)
        insProcessed.run(randomUUID(), device, seq, user.id, 'note.add', 'applied', null, null, now)
      }
      setSeq.run(seq, device)
    })()
  }
  const seconds = (performance.now() - started) / 1000
  console.log(
    `synchronous=${sync}: ${Math.round(seq / seconds)} mutations/s, ${((seconds * 1000) / 25).toFixed(1)} ms per batch of 200`,
  )
  db.close()
}
