import * as v from 'valibot'
import { describeIssue } from '../../protocol/issueText'
import { HttpError } from './errors'

/**
 * Parses a request body (or query) with a valibot schema; the first problem becomes a 400
 * whose message names the field: "startsAt must be an ISO date-time". Only for object schemas.
 */
export function parseInput<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  // Every body and query the API takes is an object, and valibot reads an array as an object
  // with no keys: `[]` passed where every field is optional (a sign-out signed out) or was told
  // "must change at least one field". A list is refused before the schema, with the sentence a list that fails it gets.
  if (Array.isArray(input)) {
    throw new HttpError(400, 'invalid_request', 'The body must be a JSON object.')
  }
  const result = v.safeParse(schema, input)
  if (result.success) return result.output
  // No body at all, or one Fastify did not read because it was not sent as JSON (no
  // Content-Type): "must be a JSON object" sent a client looking at JSON that was fine.
  if (input === undefined) {
    throw new HttpError(
      400,
      'invalid_request',
      'The body is missing or was not sent as JSON: send a JSON object with Content-Type: application/json.',
    )
  }
  throw new HttpError(400, 'invalid_request', describeIssue(result.issues[0]))
}
