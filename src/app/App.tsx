import { useRef } from 'preact/hooks'
import { route } from '../data/router'
import { sessionExpired, user } from '../data/session'
import { SignIn } from '../screens/SignIn'
import { Shell } from './Shell'

export function App() {
  // Signing in removes the form that had focus: the first screen then takes it. At app start
  // focus is left alone, so the first Tab finds the skip link.
  const fromSignIn = useRef(false)
  if (user.value === undefined) return <div class="splash" aria-busy="true" />
  if (user.value === null) {
    fromSignIn.current = true
    return <SignIn />
  }
  if (sessionExpired.value && route.value.name === 'signin') {
    fromSignIn.current = true
    return <SignIn again={user.value} />
  }
  return <Shell focusFirst={fromSignIn.current} />
}
