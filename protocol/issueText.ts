import type * as v from 'valibot'
import { cleanString } from './fields'

/**
 * The first problem of a failed parse, as a sentence a person (or a client's developer) can act
 * on: "startsAt must be an ISO date-time", "email is required", "colour is not a field this
 * takes". Our schemas carry their own messages; valibot's generic ones ("Invalid type: Expected
 * string but received Array") are put in words here, so the device and the server say the same.
 */
export function describeIssue(issue: v.BaseIssue<unknown>, whole = 'The body'): string {
  // valibot reads an array as an object with missing keys: say what is really wrong.
  if (Array.isArray(issue.path?.[0]?.input)) return `${whole} must be a JSON object.`
  const path = issue.path?.map((p) => short(String(p.key), KEY_CHARS)).join('.') ?? ''
  // A made-up key may carry NUL or a lone surrogate; the text is cleaned like any client text.
  // And it is bounded: the sentence is sent back and kept with a rejected action for 90 days, and
  // a key of a million characters was echoed whole (a megabyte stored per action).
  return short(cleanString(path ? `${path} ${inWords(issue)}` : topLevel(issue, whole)), MAX_CHARS)
}

/** A key longer than this is shown by its start: enough to recognise, never a payload. */
const KEY_CHARS = 40
/** The longest sentence: our own messages are far shorter; only echoed input can reach it. */
export const MAX_ISSUE_CHARS = 300
const MAX_CHARS = MAX_ISSUE_CHARS

function short(text: string, max: number): string {
  if (text.length <= max) return text
  // Cut on a code point, not inside a surrogate pair (a lone half is what cleanString removes).
  return `${Array.from(text.slice(0, max + 1))
    .slice(0, max - 1)
    .join('')}…`
}

function inWords(issue: v.BaseIssue<unknown>): string {
  if (!issue.message.startsWith('Invalid ')) return issue.message
  if (issue.kind === 'schema' && issue.type.endsWith('object')) {
    if (issue.expected === 'never') return 'is not a field this takes'
    if (issue.received === 'undefined') return 'is required'
  }
  if (issue.received === 'undefined') return 'is required'
  if (issue.kind === 'schema' && issue.expected) return `must be ${expected(issue.expected)}`
  return VALIDATIONS[issue.type]?.(issue.requirement) ?? issue.message
}

/**
 * valibot's checks without a message of ours ("Invalid value: Expected >=1 but received -1"), in
 * words: every number and length rule, once, instead of a message on every schema that uses one.
 */
const VALIDATIONS: Record<string, (requirement: unknown) => string> = {
  integer: () => 'must be a whole number',
  min_value: (r) => `must be ${r} or more`,
  max_value: (r) => `must be ${r} or less`,
  min_length: (r) => `must have at least ${r}`,
  max_length: (r) => `must have at most ${r}`,
  finite: () => 'must be a number',
  safe_integer: () => 'must be a whole number',
}

function topLevel(issue: v.BaseIssue<unknown>, whole: string): string {
  if (issue.input === undefined) return `${whole} is missing.`
  if (issue.kind === 'schema' && issue.type.endsWith('object'))
    return `${whole} must be a JSON object.`
  return issue.message
}

const WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  Array: 'a list',
  Object: 'an object',
  null: 'null',
}

/** valibot's expected type ("string", "Object", "(string | null)", '"cash" | "check"'), in words. */
function expected(text: string): string {
  const parts = text.replace(/^\((.*)\)$/, '$1').split(' | ')
  return parts.map((p) => WORDS[p] ?? p).join(' or ')
}
