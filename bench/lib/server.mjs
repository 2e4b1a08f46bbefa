// @ts-check
import { spawn } from 'node:child_process'
import { join } from 'node:path'

/**
 * Starts the built server (`dist-server/main.js`) on a free port, in its own process group
 * (`detached`), so stopping it kills the group: whatever it spawned goes too, and a bench that
 * fails half-way leaves no orphan. Registered with the cleanup before its first await.
 * @param {{ root: string, dir: string, databaseUrl?: string, profile: boolean,
 *   cleanup: ReturnType<typeof import('./phases.mjs').createCleanup> }} o
 */
export async function startServer({ root, dir, databaseUrl, profile, cleanup }) {
  const file = join(dir, 'db.sqlite')
  const nodeArgs = profile ? ['--cpu-prof', `--cpu-prof-dir=${join(dir, 'prof')}`] : []
  const { DATABASE_URL: _ignored, ...env } = process.env
  const proc = spawn(process.execPath, [...nodeArgs, 'dist-server/main.js'], {
    cwd: root,
    detached: true,
    env: {
      ...env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_FILE: file,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      LOG_LEVEL: '',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const pgid = /** @type {number} */ (proc.pid)
  const untrack = cleanup.trackGroup(pgid)
  const exited = new Promise((r) => proc.once('exit', r))
  /** SIGTERM to the group (the server shuts down gracefully), SIGKILL after 5 s. */
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return untrack()
    try {
      process.kill(-pgid, 'SIGTERM')
    } catch {
      return untrack()
    }
    const killer = setTimeout(() => {
      try {
        process.kill(-pgid, 'SIGKILL')
      } catch {
        // gone meanwhile
      }
    }, 5_000)
    await exited
    clearTimeout(killer)
    untrack()
  }
  const unregister = cleanup.add(`server ${pgid}`, stop)
  const url = await new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 30_000)
    proc.stdout?.on('data', (chunk) => {
      out += chunk.toString()
      const m = /Fieldline is running at (http:\/\/\S+)/.exec(out)
      if (m?.[1]) {
        clearTimeout(timer)
        resolve(m[1].replace('localhost', '127.0.0.1'))
      }
    })
    proc.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited ${code}: ${out}`))
    })
  })
  proc.stdout?.resume()
  return {
    url: /** @type {string} */ (url),
    file,
    pid: pgid,
    async stop() {
      unregister()
      await stop()
    },
  }
}
