import { useSignal } from '@preact/signals'
import { useEffect } from 'preact/hooks'
import type { User } from '../../protocol/auth'
import { focusScreenHeading } from '../app/focusHeading'
import { navigate, returnFromSignIn } from '../data/router'
import { signIn } from '../data/session'
import { syncNow } from '../data/sync'
import './SignIn.css'

/** Sign-in; with `again`, the same technician signing back in after their session ended. */
export function SignIn({ again }: { again?: User }) {
  const error = useSignal<string | null>(null)
  const busy = useSignal(false)
  // Signing out (or a session ending) removes the control that had focus: the heading takes it,
  // as on every screen change, so a screen reader starts at "Fieldline" and the next Tab lands on
  // the first field instead of wherever the page's body sends it. Focus somewhere real is kept.
  useEffect(() => {
    const active = document.activeElement
    if (!active || active === document.body) focusScreenHeading()
    // The tab is named for this screen too, not left at the last screen before signing out.
    document.title = 'Sign in · Fieldline'
  }, [])

  async function submit(e: Event) {
    e.preventDefault()
    const el = e.currentTarget as HTMLFormElement
    const form = new FormData(el)
    // A new try: the last one's message goes (it stayed up through later attempts).
    error.value = null
    busy.value = true
    const result = await signIn(String(form.get('email')), String(form.get('password')))
    busy.value = false
    if (!result.ok) {
      error.value = result.message
      // Sign in was disabled while busy, so focus had fallen to the page: it goes to the
      // password, described by the message, ready to type again.
      const password = el.elements.namedItem('password') as HTMLInputElement | null
      requestAnimationFrame(() => password?.select())
      return
    }
    // Signing in again: back to where the session ended. A first sign-in starts on Today.
    if (again) {
      returnFromSignIn()
      void syncNow({ pull: true })
    } else navigate({ name: 'day', date: '' })
  }

  return (
    <main class="signin">
      <img src="/icons/icon.svg" alt="" width="72" height="72" />
      <h1 tabIndex={-1}>Fieldline</h1>
      <p class="muted" id="signin-why">
        {again
          ? 'Your session has ended. Sign in again to upload what you saved.'
          : "Your day's jobs, with or without signal."}
      </p>
      <form onSubmit={submit} class="card form">
        <label>
          Email
          <input
            name="email"
            type="email"
            autocomplete="username"
            required
            value={again?.email}
            readOnly={Boolean(again)}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            aria-describedby={
              [again ? 'signin-why' : '', error.value ? 'signin-error' : ''].join(' ').trim() ||
              undefined
            }
          />
        </label>
        {error.value && (
          <p class="error" role="alert" id="signin-error">
            {error.value}
          </p>
        )}
        <button type="submit" class="button primary" disabled={busy.value}>
          {busy.value ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  )
}
