import { useSignal } from '@preact/signals'
import type { OfflineSettings as Settings } from '../../offline/settings'
import { PreloadPanel } from '../components/PreloadPanel'
import { TopBar } from '../components/TopBar'
import { pendingCount } from '../data/outboxState'
import { clearLocalData } from '../data/session'
import { changeSetting, settings } from '../data/settings'
import { formatBytes, storageFigures } from '../data/storage'

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
  const figures = storageFigures.value
  return (
    <>
      <TopBar title="Offline Settings" back="#/settings" />
      <section class="card toggles">
        {TOGGLES.map((t) => (
          <label key={t.key} class="toggle-row">
            <span class="toggle-text">
              <strong>{t.title}</strong>
              <span class="muted small">{t.help}</span>
              {t.warn && <span class="warn small">{t.warn}</span>}
            </span>
            <input
              type="checkbox"
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
      <section class="card" data-testid="storage">
        <h3>Storage on this device</h3>
        {figures ? (
          <>
            <p>
              {formatBytes(figures.usedBytes)} used of {formatBytes(figures.quotaBytes)} available
            </p>
            <progress max={figures.quotaBytes} value={figures.usedBytes} />
            <p class="muted small">
              {figures.persisted
                ? 'The browser will keep this data even when the device runs low on space.'
                : 'The browser may clear this data if the device runs very low on space.'}
            </p>
          </>
        ) : (
          <p class="muted">This browser does not tell how much space is used.</p>
        )}
        <button type="button" class="button danger" onClick={() => (confirming.value = true)}>
          Clear local data
        </button>
      </section>
      {confirming.value && (
        <div class="dialog-backdrop">
          <div class="dialog" role="alertdialog" aria-labelledby="clear-title">
            <h2 id="clear-title">Clear local data?</h2>
            <p>
              This removes your jobs, customers, photos and notes from this device and signs you
              out.
              {pendingCount.value > 0 &&
                ` ${pendingCount.value} ${pendingCount.value === 1 ? 'action has' : 'actions have'} not uploaded yet and will be lost.`}
            </p>
            <div class="dialog-buttons">
              <button
                type="button"
                class="button primary"
                onClick={() => (confirming.value = false)}
              >
                Keep my data
              </button>
              <button type="button" class="button danger" onClick={() => void clearLocalData()}>
                Clear local data
              </button>
            </div>
          </div>
        </div>
      )}
    </>
  )
}
