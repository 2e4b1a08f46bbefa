import { execFileSync, execSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs'
import { join, resolve } from 'node:path'

/**
 * The last commit of main before protocol versions (issue 18): its app names no protocol version
 * (protocol 1), its local database is Dexie schema 2, and its `payment.add` sends
 * `reference: null`. It is what technicians' devices ran when versions arrived; when protocol 3
 * comes, the commit that introduced protocol 2 takes its place here.
 */
export const PROTOCOL_1_COMMIT = '78a4757204157edd3e04294b2d8e8601ce28fb16'

export interface Build {
  /** The app (dist) of that commit, to serve as STATIC_DIR. */
  app: string
  /** Its server, to run with TestServer. */
  main: string
}

/**
 * Builds the app and the server of an earlier commit, from this repository's own history
 * (`git archive`, this checkout's node_modules), once per checkout: about 30 s the first time,
 * then reused from `.tmp/` (git-ignored). It lives in the checkout, not in the machine's temp
 * folder, because its server loads this checkout's node_modules through a link: a build left in
 * /tmp by another checkout that is gone since cannot start. Needs the commit in the local history
 * (not a shallow clone).
 */
export function buildOfCommit(commit: string): Build {
  const dir = resolve('.tmp', `build-${commit.slice(0, 12)}`)
  const build = { app: join(dir, 'dist'), main: join(dir, 'dist-server', 'main.js') }
  const ready = [join(build.app, 'sw.js'), build.main, join(dir, 'node_modules', 'vite')]
  if (ready.every((f) => existsSync(f))) return build
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  execSync(`git archive ${commit} | tar -x -C ${JSON.stringify(dir)}`, { stdio: 'inherit' })
  symlinkSync(resolve('node_modules'), join(dir, 'node_modules'), 'dir')
  const vite = join(dir, 'node_modules', 'vite', 'bin', 'vite.js')
  const run = (...args: string[]) =>
    execFileSync(process.execPath, [vite, 'build', '--logLevel', 'warn', ...args], {
      cwd: dir,
      stdio: 'inherit',
    })
  run()
  run('--config', 'vite.server.config.ts')
  return build
}
