// @ts-check
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'

/**
 * The real server (dist-server/main.js, as `npm start` runs it) on a free port and its own
 * temporary SQLite file; the same as tests/e2e/support/server.ts, in plain JavaScript so that
 * `node --test` runs it without a compile step. `sql` reads what the server holds.
 */
export class TestServer {
  url = ''
  /** @type {import('node:child_process').ChildProcess | undefined} */
  proc
  dir = mkdtempSync(join(tmpdir(), 'fieldline-webkit-'))
  file = join(this.dir, 'db.sqlite')

  async start() {
    const proc = spawn(process.execPath, ['dist-server/main.js'], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_FILE: this.file },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    this.proc = proc
    this.url = await new Promise((resolve, reject) => {
      let out = ''
      const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 20_000)
      proc.stdout?.on('data', (/** @type {Buffer} */ chunk) => {
        out += chunk.toString()
        const m = /Fieldline is running at (http:\/\/\S+)/.exec(out)
        if (m?.[1]) {
          clearTimeout(timer)
          resolve(m[1].replace('localhost', '127.0.0.1'))
        }
      })
      proc.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)))
    })
    proc.stdout?.resume()
  }

  async dispose() {
    const proc = this.proc
    if (proc && proc.exitCode === null) {
      const exited = new Promise((r) => proc.once('exit', r))
      proc.kill('SIGTERM')
      await exited
    }
    rmSync(this.dir, { recursive: true, force: true })
  }

  /**
   * @template [T=Record<string, unknown>]
   * @param {string} query
   * @param {...unknown} params
   * @returns {T[]}
   */
  sql(query, ...params) {
    const db = new Database(this.file, { readonly: true, fileMustExist: true })
    try {
      return /** @type {T[]} */ (db.prepare(query).all(...params))
    } finally {
      db.close()
    }
  }

  /**
   * Server-side truth: the notes of a job in the order the server stored them.
   * @param {string} jobId
   */
  notes(jobId) {
    return this.sql('SELECT body FROM notes WHERE job_id = ? ORDER BY rowid', jobId).map((r) =>
      String(r.body),
    )
  }
}
