import { HttpError } from '../http/errors'

/** A path id that names no row (or is not a UUID): the office's routes answer a plain 404. */
export const notFound = (what: string) =>
  new HttpError(404, 'not_found', `No ${what} with this id.`)
