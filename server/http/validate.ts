import * as v from 'valibot'
import { cleanString } from '../../protocol/fields'
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

export function describeIssue(issue: v.BaseIssue<unknown>): string {
  const path = issue.path?.map((p) => String(p.key)).join('.')
  if (!path && issue.input === undefined) return 'The request needs a JSON body.'
  // A made-up key may carry NUL or a lone surrogate; the message is cleaned like any client text.
  return cleanString(path ? `${path} ${issue.message}` : issue.message)
}
