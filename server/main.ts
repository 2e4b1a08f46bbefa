import { buildApp } from './app'
import { LocalBlobStore } from './blobs/local'
import { PostgresBlobStore } from './blobs/postgres'
import type { BlobStore } from './blobs/store'
import { readConfig } from './config'
import { ConfigError } from './configError'
import { connect } from './db/connect'
import { migrateToLatest } from './db/migrate'
import { DEMO_USERS } from './db/seed/demoUsers'
import { seedIfEmpty } from './db/seed/seed'
import { startMaintenance } from './maintenance'
import { shutdown } from './shutdown'

/** Starts Fieldline: open the database, migrate, seed an empty one, listen. */
async function main(): Promise<void> {
  const config = readConfig()
  const db = connect({
    file: config.databaseFile,
    url: config.databaseUrl,
    poolMax: config.databasePoolMax,
  })
  await migrateToLatest(db.kysely)
  const blobs: BlobStore =
    config.blobStore === 'postgres' && config.databaseUrl
      ? new PostgresBlobStore(config.databaseUrl)
      : new LocalBlobStore(config.filesDir)
  const seeded = config.seedDemo ? await seedIfEmpty(db.kysely, config.seedDate, blobs) : null

  const app = await buildApp({
    db,
    blobs,
    staticDir: config.staticDir,
    sessionTtlSeconds: config.sessionTtlSeconds,
    logLevel: config.logLevel,
    trustProxy: config.trustProxy,
    pullPageRows: config.pullPageRows,
    pushConcurrency: config.pushConcurrency,
  })
  const maintenance = startMaintenance(db.kysely, blobs, () => new Date(), console)
  await app.listen({ port: config.port, host: config.host })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : config.port

  // Tests parse this exact line.
  console.log(`Fieldline is running at http://localhost:${port}`)
  console.log(
    db.dialect === 'postgres'
      ? `Database: PostgreSQL; attachment files: ${config.blobStore === 'postgres' ? 'in PostgreSQL' : config.filesDir}`
      : `Database: SQLite ${config.databaseFile}; attachment files: ${config.filesDir}`,
  )
  if (seeded) {
    console.log(
      `Seeded demo data: ${seeded.customers} customers, ${seeded.jobs} jobs, ${seeded.appointments} appointments, ${seeded.notes} notes, ${seeded.attachments} attachments, ${seeded.estimates} estimates, ${seeded.invoices} invoices.`,
    )
  }
  if (config.seedDemo) {
    console.log('Demo sign-ins (email / password, role):')
    for (const user of DEMO_USERS) console.log(`  ${user.email} / ${user.password}  (${user.role})`)
  }

  let closing = false
  const stop = async (signal: string) => {
    if (closing) return
    closing = true
    console.log(`${signal} received: finishing the requests in flight, then stopping.`)
    const clean = await shutdown(
      { app, db, blobs, maintenance },
      config.shutdownTimeoutSeconds * 1000,
    )
    if (!clean) {
      console.error(
        `Requests still running after ${config.shutdownTimeoutSeconds} s; stopping anyway (uncommitted pushes roll back and devices resend them).`,
      )
    }
    process.exit(clean ? 0 : 1)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? `Fieldline cannot start: ${err.message}` : err)
  process.exit(1)
})
