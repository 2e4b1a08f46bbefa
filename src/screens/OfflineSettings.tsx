import { useSignal } from '@preact/signals'
import type { OfflineSettings as Settings } from '../../offline/settings'
import { Dialog } from '../components/Dialog'
import { InstallCard } from '../components/InstallCard'
import { PreloadPanel } from '../components/PreloadPanel'
import { TopBar } from '../components/TopBar'
import { installAdvice } from '../data/install'
import { pendingCount } from '../data/outboxState'
import { clearLocalData } from '../data/session'
import { changeSetting, settings } from '../data/settings'
import { formatBytes, requestPersistence, storageFigures } from '../data/storage'
import './OfflineSettings.css'

const TOGGLES: Array<{ key: keyof Settings; title: string; help: string; warn?: string }> = [
  {
    key: 'offlineEnabled',
    title: 'Offline Enabled',
    help: 'Save notes, photos, PDFs, labels and every other change on this device when you have no signal, and upload them when you are back online.',
  },
  {
    key: 'offlinePhotosEnabled',
    title: 'Offline Photos Enabled',
    help: 'Add photos to jobs while offline; they are kept on this device and uploaded when you regain signal.',
  },
  {
    key: 'downloadPhotosOverWifi',
    title: 'Download Photos Over WiFi',
    help: 'Pre-load downloads full photos and PDFs only when you are not on cellular data; otherwise just thumbnails.',
    warn: 'Downloading photos can be a large request in terms of data usage.',
  },
]

/** Settings → Offline Settings: the three toggles, storage, Pre-load and clearing the device. */
export function OfflineSettings() {
  const confirming = useSignal(false)
  const s = settings.value
  return (
    <>
      <TopBar title="Offline Settings" back="#/settings" />
      <section class="card toggles" aria-label="Offline settings">
        {TOGGLES.map((t) => (
          <label key={t.key} class="toggle-row">
            {/* The switch is named by its title alone and described by the rest, so a screen
                reader says "Download Photos Over WiFi, switch, on" on each Tab, then the help. */}
            <span class="toggle-text">
              <strong id={`setting-${t.key}-name`}>{t.title}</strong>
              <span id={`setting-${t.key}-help`} class="muted small">
                {t.help}
              </span>
              {t.warn && (
                <span id={`setting-${t.key}-warn`} class="warn small">
                  {t.warn}
                </span>
              )}
            </span>
            <input
              type="checkbox"
              role="switch"
              aria-labelledby={`setting-${t.key}-name`}
              aria-describedby={`setting-${t.key}-help${t.warn ? ` setting-${t.key}-warn` : ''}`}
              aria-checked={s[t.key]}
              class="switch"
              checked={s[t.key]}
              data-testid={`setting-${t.key}`}
              onChange={(e) =>
                void changeSetting(t.key, (e.currentTarget as HTMLInputElement).checked)
              }
            />
          </label>
        ))}
      </section>
      <PreloadPanel />
      <StorageCard onClear={() => (confirming.value = true)} />
      <InstallCard place="settings" />
      {confirming.value && (
        <Dialog alert title="Clear local data?" onClose={() => (confirming.value = false)}>
          <p>
            This removes your jobs, customers, photos and notes from this device and signs you out.
            {pendingCount.value > 0 &&
              ` ${pendingCount.value} ${pendingCount.value === 1 ? 'action has' : 'actions have'} not uploaded yet and will be lost.`}
          </p>
          <div class="dialog-buttons">
            <button type="button" class="button primary" onClick={() => (confirming.value = false)}>
              Keep my data
            </button>
            <button type="button" class="button danger" onClick={() => void clearLocalData()}>
              Clear local data
            </button>
          </div>
        </Dialog>
      )}
    </>
  )
}

/**
 * Space used, and whether the browser promised to keep the data ("persistent"). Without that
 * promise it may clear everything under storage pressure, and Safari clears it after 7 days
 * without use unless Fieldline is on the Home Screen: said plainly, with a way to ask again.
 */
function StorageCard({ onClear }: { onClear: () => void }) {
  const figures = storageFigures.value
  return (
    <section class="card" data-testid="storage" aria-labelledby="storage-title">
      <h2 class="card-title" id="storage-title">
        Storage on this device
      </h2>
      {figures ? (
        <>
          <p>
            {formatBytes(figures.usedBytes)} used of {formatBytes(figures.quotaBytes)} available
          </p>
          <progress aria-label="Storage used" max={figures.quotaBytes} value={figures.usedBytes} />
          <p data-testid="storage-persistent">
            {figures.persisted ? (
              <>
                <strong>Persistent.</strong> The browser will keep this data even when the device
                runs low on space.
              </>
            ) : (
              <>
                <strong>Not persistent.</strong> The browser may clear this data, actions not yet
                uploaded included, if the device runs very low on space
                {installAdvice.value === 'ios'
                  ? ', and Safari clears it after 7 days without use unless Fieldline is on your Home Screen.'
                  : '.'}
              </>
            )}
          </p>
          {!figures.persisted && (
            <button type="button" class="button small" onClick={() => void requestPersistence()}>
              Ask to keep this data
            </button>
          )}
        </>
      ) : (
        <p class="muted">This browser does not tell how much space is used.</p>
      )}
      <div class="button-row">
        <button type="button" class="button danger" onClick={onClear}>
          Clear local data
        </button>
      </div>
    </section>
  )
}
