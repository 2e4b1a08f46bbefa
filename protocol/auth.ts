import * as v from 'valibot'

export const SignInRequest = v.strictObject({
  email: v.pipe(v.string(), v.trim(), v.email('must be an email address'), v.maxLength(254)),
  password: v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(200)),
})
export type SignInRequest = v.InferOutput<typeof SignInRequest>

export type Role = 'technician' | 'dispatcher'

export interface User {
  id: string
  email: string
  name: string
  role: Role
}

/** Body of every 4xx/5xx answer: a machine code and a sentence a person can read. */
export interface ApiError {
  error: string
  message: string
}
