import { useSignal } from '@preact/signals'
import { Dialog } from '../components/Dialog'
import { TopBar } from '../components/TopBar'
import { connection } from '../data/connection'
import { pendingCount } from '../data/outboxState'
import { signOut, user } from '../data/session'
import { lastSyncAt, syncNow } from '../data/sync'
import { formatAgo } from '../format'
import './Settings.css'

/** How long Sign out waits for the queue to upload before asking what to do with it. */
const LAST_CHANCE_MS = 5_000

/** Settings (the gear): Offline Actions, who is signed in, and signing out. */
export function Settings() {
  const confirming = useSignal(false)
  const me = user.value
  const waiting = pendingCount.value
  const offline = connection.value !== 'online'

  // While the waiting actions get a last chance to upload: said at once, and a few seconds at
  // most. It waited for the whole running upload and pre-load: on a weak link, 80 s and more of
  // nothing after the tap.
  const uploading = useSignal(false)
  async function onSignOut() {
    if (uploading.value) return
    if (pendingCount.value > 0) {
      uploading.value = true
      await Promise.race([syncNow(), new Promise((done) => setTimeout(done, LAST_CHANCE_MS))])
      uploading.value = false
      if (pendingCount.value > 0) {
        confirming.value = true
        return
      }
    }
    await signOut()
  }

  return (
    <>
      <TopBar title="Settings" />
      <nav class="card menu" aria-label="Settings">
        <a href="#/settings/offline" class="menu-item" data-testid="offline-settings-link">
          <span>Offline Settings</span>
          <span class="muted" aria-hidden="true">
            ›
          </span>
        </a>
        <a href="#/settings/actions" class="menu-item" data-testid="offline-actions-link">
          <span>Offline Actions</span>
          <span class="muted">{waiting > 0 ? `${waiting} waiting` : 'All caught up'}</span>
        </a>
      </nav>
      <section class="card">
        <p>
          Signed in as <strong>{me?.name}</strong>
          <br />
          {/* An address has no spaces to wrap at: at 320 px with large text it ran off the card. */}
          <span class="muted break-anywhere">{me?.email}</span>
        </p>
        {lastSyncAt.value && <p class="muted small">Last synced {formatAgo(lastSyncAt.value)}</p>}
        <button
          type="button"
          class="button"
          onClick={onSignOut}
          data-testid="sign-out"
          aria-describedby={offline ? 'signout-offline' : undefined}
        >
          Sign out / switch technician
        </button>
        <p class="muted small signout-status" role="status">
          {uploading.value ? 'Uploading your waiting actions before signing out…' : ''}
        </p>
        {/* Said before, not after: once signed out, nobody can sign in until there is signal. */}
        {offline && (
          <p class="muted small" id="signout-offline">
            You're offline: after signing out, signing in again needs a connection.
          </p>
        )}
      </section>
      {confirming.value && (
        <Dialog alert title="Actions not uploaded" onClose={() => (confirming.value = false)}>
          <p>
            {pendingCount.value} {pendingCount.value === 1 ? 'action has' : 'actions have'} not
            uploaded yet. Signing out deletes {pendingCount.value === 1 ? 'it' : 'them'} from this
            device for good.
          </p>
          <div class="dialog-buttons">
            <button type="button" class="button primary" onClick={() => (confirming.value = false)}>
              Keep them
            </button>
            <button type="button" class="button danger" onClick={() => void signOut()}>
              Sign out anyway
            </button>
          </div>
        </Dialog>
      )}
    </>
  )
}
