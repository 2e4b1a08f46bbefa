import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'

/**
 * The real server (dist-server/main.js, as `npm start` runs it) on a free port and its own
 * temporary SQLite file, so each test sees exactly what it did. `sql` reads what the server
 * holds, straight from its database.
 */
export class TestServer {
  url = ''
  private proc: ChildProcess | undefined
  readonly dir = mkdtempSync(join(tmpdir(), 'fieldline-e2e-'))
  readonly file = join(this.dir, 'db.sqlite')

  /** `main`: another build of the server (an older version of it, tests/e2e/support/oldBuild.ts). */
  constructor(
    private readonly env: Record<string, string> = {},
    private readonly main = 'dist-server/main.js',
  ) {}

  async start(): Promise<void> {
    const proc = spawn(process.execPath, [this.main], {
      env: {
        ...process.env,
        PORT: this.url ? new URL(this.url).port : '0',
        DATABASE_FILE: this.file,
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    this.proc = proc
    this.url = await new Promise<string>((resolve, reject) => {
      let out = ''
      const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 20_000)
      proc.stdout?.on('data', (chunk: Buffer) => {
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

  async stop(): Promise<void> {
    const proc = this.proc
    if (!proc || proc.exitCode !== null) return
    const exited = new Promise((r) => proc.once('exit', r))
    proc.kill('SIGTERM')
    await exited
  }

  sql<T = Record<string, unknown>>(query: string, ...params: unknown[]): T[] {
    const db = new Database(this.file, { readonly: true, fileMustExist: true })
    try {
      return db.prepare(query).all(...params) as T[]
    } finally {
      db.close()
    }
  }

  async dispose(): Promise<void> {
    await this.stop()
    rmSync(this.dir, { recursive: true, force: true })
  }
}
