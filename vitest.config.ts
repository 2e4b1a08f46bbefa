import { defineConfig } from 'vitest/config'

// Unit and server tests run in Node. Tests of the device's database import
// `fake-indexeddb/auto`; server tests start the real Fastify app on a temporary SQLite file.
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/server/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
  },
})
