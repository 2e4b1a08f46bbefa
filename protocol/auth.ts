import * as v from 'valibot'

export const SignInRequest = v.strictObject({
  email: v.pipe(v.string(), v.trim(), v.email('must be an email address'), v.maxLength(254)),
  password: v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(200)),
})
export type SignInRequest = v.InferOutput<typeof SignInRequest>

/**
 * POST /api/auth/revoke: ends the session a revocation token belongs to (a device that signed
 * out while offline sends it when it is back). Tokens are 32 random bytes in base64url (43
 * characters); the limit only keeps junk short.
 */
export const RevokeRequest = v.strictObject({
  token: v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(200)),
})
export type RevokeRequest = v.InferOutput<typeof RevokeRequest>

export type Role = 'technician' | 'dispatcher'

export interface User {
  id: string
  email: string
  name: string
  role: Role
}

/** The answer to a sign-in: who, and the token that can end this session later. */
export interface SignInResponse {
  user: User
  /** Kept on the device (not secret from the page): it can only end this one session. */
  revocationToken: string
}

/** Body of every 4xx/5xx answer: a machine code and a sentence a person can read. */
export interface ApiError {
  error: string
  message: string
}
