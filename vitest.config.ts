import { defineConfig } from 'vitest/config'

// Unit and server tests run in Node. Tests of the device's database import
// `fake-indexeddb/auto`; server tests start the real Fastify app on a fresh database, once per
// store: server-sqlite (a temporary SQLite file) and server-postgres (a database of its own on
// the PostgreSQL at 127.0.0.1:5432; see tests/server/stores.ts). The property tests start both
// stores themselves and compare them, so they run once, in their own project.
export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 20_000,
    // Most server and property tests wait on PostgreSQL or HTTP, not the CPU: three files at a
    // time on 2 cores took 3 min 45 s against 5 min 14 s with the default (one per core minus one).
    maxWorkers: 3,
    hookTimeout: 30_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'server-sqlite',
          include: ['tests/server/**/*.test.ts'],
          env: { FIELDLINE_TEST_STORE: 'sqlite' },
        },
      },
      {
        extends: true,
        test: {
          name: 'server-postgres',
          include: ['tests/server/**/*.test.ts'],
          env: { FIELDLINE_TEST_STORE: 'postgres' },
        },
      },
      {
        extends: true,
        test: { name: 'property', include: ['tests/property/**/*.test.ts'] },
      },
    ],
  },
})
