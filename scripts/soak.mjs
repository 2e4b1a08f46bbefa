#!/usr/bin/env node
// npm run soak -- --actions 2000 [--fault-rate 0.3] [--seed 42]
// Builds the app, then runs tests/e2e/faults-soak.spec.ts with the given size: N notes queued
// through the app's own data layer and uploaded through a proxy that breaks ~30% of the pushes.
// The result (actions, faults injected, lost, duplicated, in order) is printed and written to
// test-results/soak.json.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'

const { values } = parseArgs({
  options: {
    actions: { type: 'string', default: '2000' },
    'fault-rate': { type: 'string', default: '0.3' },
    seed: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
  },
})
const run = (cmd, args, env = {}) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } })
  return r.status ?? 1
}
if (!values['no-build'] && run('npm', ['run', 'build']) !== 0) process.exit(1)
const env = {
  SOAK_ACTIONS: values.actions,
  SOAK_FAULT_RATE: values['fault-rate'],
  ...(values.seed ? { SOAK_SEED: values.seed } : {}),
}
const status = run(
  'npx',
  ['playwright', 'test', 'tests/e2e/faults-soak.spec.ts', '--workers=1', '--reporter=list'],
  env,
)
try {
  console.log(readFileSync('test-results/soak.json', 'utf8'))
} catch {
  console.log('no soak result was written')
}
process.exit(status)
