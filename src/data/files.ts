import { downloadFile } from '../../offline/files'
import type { Attachment } from '../../protocol/entities'
import { fileOf } from './queries'
import { activeDb } from './session'

/** The bytes of a photo or PDF from this device, if it holds them. */
export async function localFile(id: string): Promise<Blob | undefined> {
  const db = activeDb()
  return db ? fileOf(db, id) : undefined
}

/** Online, opening a file the pre-load skipped (cellular) fetches it and keeps it. */
export async function fetchFile(a: Attachment): Promise<Blob | undefined> {
  const db = activeDb()
  if (!db || !(await downloadFile(db, a.id, a.size))) return undefined
  return fileOf(db, a.id)
}
