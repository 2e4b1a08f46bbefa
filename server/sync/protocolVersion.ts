import type { FastifyRequest } from 'fastify'
import {
  OLDEST_PROTOCOL_VERSION,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  UNNAMED_PROTOCOL_VERSION,
  UPDATE_REQUIRED,
  type UpdateRequired,
} from '../../protocol/version'
import { HttpError } from '../http/errors'

/**
 * The protocol version a sync request speaks (header `X-Fieldline-Protocol`; none: 1, the apps
 * from before versions were named). Outside OLDEST…PROTOCOL_VERSION it
 * throws a 426 `update_required` (body: UpdateRequired) before anything of the request is read,
 * so nothing is applied; the app keeps its queue and asks to be updated. A version newer than
 * this server (an app deployed before its server) gets the same answer and a message that says
 * so; the app can only wait for the server. A header that is not a version at all is a 400.
 */
export function requestProtocol(request: FastifyRequest): number {
  const raw = request.headers[PROTOCOL_HEADER]
  if (raw === undefined) return UNNAMED_PROTOCOL_VERSION
  const text = (Array.isArray(raw) ? raw.join(',') : raw).trim()
  // Not a version at all (empty, words, a fraction): no app of ours sends that, so it is a
  // malformed request (400), not an app too old to sync: "update" would be the wrong advice.
  if (!/^\d{1,6}$/.test(text)) {
    throw new HttpError(
      400,
      'invalid_request',
      `The ${PROTOCOL_HEADER} header must be a protocol version, a whole number (this server takes ${OLDEST_PROTOCOL_VERSION} to ${PROTOCOL_VERSION}).`,
    )
  }
  const version = Number(text)
  if (version >= OLDEST_PROTOCOL_VERSION && version <= PROTOCOL_VERSION) return version
  const body: Omit<UpdateRequired, 'error' | 'message'> = {
    protocolVersion: version,
    accepts: { oldest: OLDEST_PROTOCOL_VERSION, newest: PROTOCOL_VERSION },
  }
  throw new HttpError(
    426,
    UPDATE_REQUIRED,
    version > PROTOCOL_VERSION
      ? `This app speaks sync protocol ${version}, newer than this server's ${PROTOCOL_VERSION}: the server must be updated first. Nothing waiting on the device is lost.`
      : `This version of Fieldline is too old to sync (the server takes protocol ${OLDEST_PROTOCOL_VERSION} to ${PROTOCOL_VERSION}). Update Fieldline; nothing waiting on the device is lost.`,
    {},
    body,
  )
}
