import { HttpError } from '../http/errors'

/**
 * Is this error the database's own trouble rather than the action's? Such errors (connection
 * lost, serialization failure or deadlock, disk or memory full, the server shutting down, SQLite
 * busy or failing to write) say nothing about the mutation being applied: the same batch may well
 * apply a minute later. Everything else that escapes an apply function (a constraint the schema
 * did not foresee, a value the column cannot take, a bug) is blamed on the one mutation that
 * raised it, which is rejected with code `internal` while the batch goes on.
 */
export function isStoreFailure(err: unknown): boolean {
  if (!(err instanceof Error)) return false
  const code = (err as { code?: unknown }).code
  if (typeof code === 'string') {
    // PostgreSQL SQLSTATE classes: 08 connection, 40 transaction rollback (serialization,
    // deadlock), 53 insufficient resources (disk full, out of memory, too many connections),
    // 57 operator intervention (shutdown, statement timeout), 58 system/I-O error, XX internal.
    if (/^(08|40|53|57|58|XX)[0-9A-Z]{3}$/.test(code)) return true
    if (
      /^SQLITE_(BUSY|LOCKED|FULL|IOERR|NOMEM|CANTOPEN|READONLY|CORRUPT|NOTADB|PROTOCOL)/.test(code)
    )
      return true
    if (/^E(CONNREFUSED|CONNRESET|PIPE|TIMEDOUT|HOSTUNREACH|NETUNREACH|AI_AGAIN)$/.test(code))
      return true
  }
  // node-postgres reports a dropped connection or an exhausted pool in words only.
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|database connection is not open/i.test(
    err.message,
  )
}

/** The answer for a batch the database could not take: nothing applied, send it again later. */
export function storeUnavailable(): HttpError {
  return new HttpError(
    503,
    'store_unavailable',
    "The server's database is not answering right now. Nothing was lost: your actions are kept on this device and will upload shortly.",
    { 'Retry-After': '10' },
  )
}
