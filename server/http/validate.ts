import * as v from 'valibot'
import { describeIssue } from '../../protocol/issueText'
import { HttpError } from './errors'

/**
 * Parses a request body (or query) with a valibot schema; the first problem becomes a 400
 * whose message names the field: "startsAt must be an ISO date-time".
 */
export function parseInput<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, input)
  if (result.success) return result.output
  throw new HttpError(400, 'invalid_request', describeIssue(result.issues[0]))
}
