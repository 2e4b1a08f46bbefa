import { computed, signal } from '@preact/signals'

/** Chromium's install offer (`beforeinstallprompt`), kept until the technician answers it. */
interface InstallOffer extends Event {
  prompt(): Promise<void>
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>
}

const DISMISSED = 'fieldline-install-card-dismissed'

const installOffer = signal<InstallOffer | null>(null)
/** Opened from the Home Screen or as an installed app. */
const standalone = signal(false)
/** "Not now" on Today's card; Offline Settings still explains it. */
export const installCardDismissed = signal(false)

/**
 * iPhone or iPad Safari, in the browser rather than from the Home Screen: only Apple's mobile
 * Safari has `navigator.standalone` (false there); touch tells an iPad from a Mac.
 */
function inIosBrowser(): boolean {
  const nav = navigator as Navigator & { standalone?: boolean }
  return nav.standalone === false && navigator.maxTouchPoints > 0
}

/**
 * What to tell the technician about installing: Safari's steps (there is no install prompt on
 * iOS, and Safari deletes a site's stored data after 7 days without use unless the app is on the
 * Home Screen), Chromium's own Install, or nothing (already installed, or nothing to offer).
 */
export const installAdvice = computed<'ios' | 'prompt' | null>(() => {
  if (standalone.value) return null
  if (inIosBrowser()) return 'ios'
  return installOffer.value ? 'prompt' : null
})

/** Listens from the start: Chromium fires `beforeinstallprompt` once, early. */
export function startInstallWatch(): void {
  standalone.value =
    matchMedia('(display-mode: standalone)').matches ||
    (navigator as Navigator & { standalone?: boolean }).standalone === true
  try {
    installCardDismissed.value = localStorage.getItem(DISMISSED) === '1'
  } catch {
    // Storage blocked: the card shows again next time, no harm.
  }
  addEventListener('beforeinstallprompt', (event) => {
    // Kept for the app's own button, instead of the browser's mini-infobar.
    event.preventDefault()
    installOffer.value = event as InstallOffer
  })
  addEventListener('appinstalled', () => {
    installOffer.value = null
    standalone.value = true
  })
}

/** Chromium's install dialog; the offer can be used once. */
export async function install(): Promise<void> {
  const offer = installOffer.value
  if (!offer) return
  installOffer.value = null
  await offer.prompt()
  await offer.userChoice
}

export function dismissInstallCard(): void {
  installCardDismissed.value = true
  try {
    localStorage.setItem(DISMISSED, '1')
  } catch {
    // See above.
  }
}
