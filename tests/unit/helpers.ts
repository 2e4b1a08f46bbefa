import 'fake-indexeddb/auto'
import { v4 as uuidv4 } from 'uuid'
import { deleteLocalDb, type LocalDb, localDbFor } from '../../offline/localDb'
import type { User } from '../../protocol/auth'
import type { Job } from '../../protocol/entities'

export const tech: User = {
  id: uuidv4(),
  email: 'alex@fieldline.test',
  name: 'Alex Rivera',
  role: 'technician',
}

/** A fresh local database (fake-indexeddb) with a couple of jobs in it. */
export async function freshDb(): Promise<{ db: LocalDb; jobs: Job[] }> {
  const user = { ...tech, id: uuidv4() }
  await deleteLocalDb(user.id)
  const db = localDbFor(user.id)
  const jobs: Job[] = [1042, 1043].map((number) => ({
    id: uuidv4(),
    number,
    title: number === 1042 ? 'Replace water heater' : 'Fix leaking tap',
    description: '',
    address: '1 Main St',
    status: 'scheduled',
    customerId: uuidv4(),
    technicianId: user.id,
    labelIds: [],
    version: 1,
    updatedAt: new Date().toISOString(),
  }))
  await db.jobs.bulkPut(jobs)
  return { db, jobs }
}

export function noteArgs(jobId: string, body: string) {
  return { id: uuidv4(), jobId, body, createdAt: new Date().toISOString() }
}
