import { connection, offlineAlertVisible } from '../data/connection'
import { settings } from '../data/settings'
import { Icon } from './Icon'
import './OfflineAlert.css'

/**
 * The offline alert: shown when the device goes offline or the link is too weak to use.
 * It never blocks the screen; the technician keeps working under it. With Offline Enabled off it
 * says that changes need a connection (it used to promise they were saved, and then every save
 * was refused).
 */
export function OfflineAlert() {
  if (!offlineAlertVisible.value || connection.value === 'online') return null
  const weak = connection.value === 'weak'
  return (
    <div class="offline-alert" role="alert" data-testid="offline-alert">
      <Icon name="offline" />
      <p>
        <strong>{weak ? 'Connection too weak to use.' : "You're offline."}</strong>{' '}
        {settings.value.offlineEnabled
          ? "Keep working: your changes are saved here and upload when you're back online."
          : 'Offline Enabled is off, so changes need a connection. Turn it on in Settings → Offline Settings to keep working.'}
      </p>
      <button
        type="button"
        class="icon-button"
        aria-label="Dismiss the offline alert"
        onClick={() => {
          offlineAlertVisible.value = false
        }}
      >
        <Icon name="close" size={20} />
      </button>
    </div>
  )
}
