import type { Migration } from 'kysely'
import * as m0001 from './0001_initial'
import * as m0002 from './0002_job_details'
import * as m0003 from './0003_attachment_blobs'
import * as m0004 from './0004_signin_failures'
import * as m0005 from './0005_sync_integrity'
import * as m0006 from './0006_abuse_limits'
import * as m0008 from './0008_updated_at'
import * as m0009 from './0009_pull_indexes'

/**
 * Every migration, imported statically: the server is bundled into one file, so Kysely's
 * folder-reading provider would find nothing. Names sort in the order they must run.
 */
export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_job_details': m0002,
  '0003_attachment_blobs': m0003,
  '0004_signin_failures': m0004,
  '0005_sync_integrity': m0005,
  '0006_abuse_limits': m0006,
  // There is no 0007: the paged pulls' indexes were written as 0007 on a branch and released
  // as 0009, after 0008 reached main.
  '0008_updated_at': m0008,
  '0009_pull_indexes': m0009,
}
