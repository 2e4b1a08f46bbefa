// @ts-check
import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'

const TICKS_PER_SECOND = 100 // Linux USER_HZ

/** CPU seconds (user + system) of a process, or null when it is gone. @param {number} pid */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
  } catch {
    return null
  }
}

/** Resident memory in MB, or null. @param {number} pid */
function rssMb(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Math.round(Number(match[1]) / 102.4) / 10 : null
  } catch {
    return null
  }
}

/** Busy and total jiffies of the whole machine. */
function machine() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? ''
  const values = line.split(/\s+/).slice(1).map(Number)
  const idle = (values[3] ?? 0) + (values[4] ?? 0)
  const total = values.reduce((a, b) => a + b, 0)
  return { busy: total - idle, total }
}

/**
 * Samples twice a second, per phase: each API instance's CPU (% of one core) and resident
 * memory, the CPU of the PostgreSQL backends serving the fleet's database, the simulator's own
 * CPU, the whole machine's busy share, the load average, and the connections PostgreSQL has
 * open to the database (all, active, and waiting on a lock at that moment: pushes queue on the
 * revision counter's row lock, sync/revs.ts).
 *
 * CPU is kept per process id, from its first sight in the phase (0 for one born during it) to its
 * last sample, so a pool's connections that come and go, and an instance restarted mid-phase, are
 * counted; a process living less than half a second between samples is missed.
 *
 * @typedef {{ query: (text: string, values?: unknown[]) => Promise<{ rows: any[] }> }} Queryable
 */
export class Monitor {
  /** @param {{ pids: () => number[] }} cluster @param {Queryable} admin @param {string} database */
  constructor(cluster, admin, database) {
    this.cluster = cluster
    this.admin = admin
    this.database = database
    /** @type {Record<string, any>} */
    this.phases = {}
    /** @type {string | null} */
    this.phase = null
    /** @type {NodeJS.Timeout | undefined} */
    this.timer = undefined
    /** CPU seconds per instance pid: [first, last, instance index]. */
    this.instanceCpu = /** @type {Map<number, [number, number, number]>} */ (new Map())
    /** CPU seconds per backend pid: [first, last]. */
    this.backendCpu = /** @type {Map<number, [number, number]>} */ (new Map())
    this.acc = {
      connections: 0,
      active: 0,
      lockWaits: 0,
      rss: /** @type {number[]} */ ([]),
      load: 0,
    }
    this.startedAt = performance.now()
    this.sim = process.cpuUsage()
    this.machine = machine()
  }

  fresh() {
    this.instanceCpu = new Map()
    this.backendCpu = new Map()
    this.acc = { connections: 0, active: 0, lockWaits: 0, rss: [], load: 0 }
    this.startedAt = performance.now()
    this.sim = process.cpuUsage()
    this.machine = machine()
  }

  /** Starts a phase (ending the one before). @param {string} name */
  async begin(name) {
    await this.end()
    this.fresh()
    this.phase = name
    await this.sample(true)
    this.timer = setInterval(() => void this.sample(false), 500)
  }

  async backendPids() {
    const { rows } = await this.admin.query(
      `select pid, state, wait_event_type from pg_stat_activity
       where datname = $1 and pid <> pg_backend_pid()`,
      [this.database],
    )
    return rows
  }

  /** @param {boolean} first the phase's first sample: what exists now is its baseline */
  async sample(first) {
    try {
      this.cluster.pids().forEach((pid, i) => {
        const cpu = cpuSeconds(pid)
        if (cpu === null) return
        const seen = this.instanceCpu.get(pid)
        this.instanceCpu.set(pid, [seen ? seen[0] : first ? cpu : 0, cpu, i])
        const rss = rssMb(pid)
        if (rss !== null) this.acc.rss[i] = Math.max(this.acc.rss[i] ?? 0, rss)
      })
      const backends = await this.backendPids()
      this.acc.connections = Math.max(this.acc.connections, backends.length)
      this.acc.active = Math.max(
        this.acc.active,
        backends.filter((b) => b.state === 'active').length,
      )
      this.acc.lockWaits = Math.max(
        this.acc.lockWaits,
        backends.filter((b) => b.wait_event_type === 'Lock').length,
      )
      for (const b of backends) {
        const cpu = cpuSeconds(b.pid)
        if (cpu === null) continue
        const seen = this.backendCpu.get(b.pid)
        this.backendCpu.set(b.pid, [seen ? seen[0] : first ? cpu : 0, cpu])
      }
      this.acc.load = Math.max(this.acc.load, loadavg()[0] ?? 0)
    } catch {
      // a sample lost while the admin connection is busy is just a sample lost
    }
  }

  async end() {
    clearInterval(this.timer)
    if (!this.phase) return
    await this.sample(false)
    const seconds = (performance.now() - this.startedAt) / 1000
    const pct = (/** @type {number} */ cpu) => Math.round((100 * cpu) / Math.max(seconds, 0.001))
    /** @type {number[]} */
    const perInstance = []
    for (const [first, last, i] of this.instanceCpu.values()) {
      perInstance[i] = (perInstance[i] ?? 0) + last - first
    }
    let pgCpu = 0
    for (const [first, last] of this.backendCpu.values()) pgCpu += last - first
    const sim = process.cpuUsage(this.sim)
    const m = machine()
    this.phases[this.phase] = {
      seconds: Math.round(seconds * 10) / 10,
      instances: this.cluster.pids().map((_, i) => ({
        cpuPct: pct(perInstance[i] ?? 0),
        maxRssMb: this.acc.rss[i] ?? null,
      })),
      postgres: {
        backendsCpuPct: pct(pgCpu),
        maxConnections: this.acc.connections,
        maxActive: this.acc.active,
        maxWaitingOnLocks: this.acc.lockWaits,
      },
      simulatorCpuPct: pct((sim.user + sim.system) / 1e6),
      machineBusyPct: Math.round(
        (100 * (m.busy - this.machine.busy)) / Math.max(m.total - this.machine.total, 1),
      ),
      maxLoad1: Math.round(this.acc.load * 100) / 100,
    }
    this.phase = null
  }
}
