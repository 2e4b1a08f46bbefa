import { route } from '../data/router'
import { sessionExpired, user } from '../data/session'
import { SignIn } from '../screens/SignIn'
import { Shell } from './Shell'

export function App() {
  if (user.value === undefined) return <div class="splash" aria-busy="true" />
  if (user.value === null) return <SignIn />
  if (sessionExpired.value && route.value.name === 'signin') return <SignIn again={user.value} />
  return <Shell />
}
