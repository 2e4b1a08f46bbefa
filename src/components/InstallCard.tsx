import { focusScreenHeading } from '../app/focusHeading'
import { TABBABLE } from '../app/tabbable'
import { dismissInstallCard, install, installAdvice, installCardDismissed } from '../data/install'
import './InstallCard.css'

/**
 * Puts the card away and hands the keyboard to what follows it (the day's first visit), not to
 * the top of the screen: after "Not now" the next Tab is where the eye goes next.
 */
function notNow(e: Event): void {
  const hand = handOn(e)
  dismissInstallCard()
  hand()
}

/** Install: the browser's prompt; the card is gone from then on (installed or not offered again). */
function installNow(e: Event): void {
  const hand = handOn(e)
  void install()
  // The card goes as the prompt opens (the offer is used up): the keyboard moves on at once.
  requestAnimationFrame(() => {
    if (!document.querySelector('[data-testid="install-card"]')) hand()
  })
}

/** Where the keyboard goes once the card is gone: what follows it, else the screen's heading. */
function handOn(e: Event): () => void {
  const next = (e.currentTarget as HTMLElement).closest('section')?.nextElementSibling
  const target = next?.matches(TABBABLE) ? next : next?.querySelector(TABBABLE)
  return () => {
    if (target instanceof HTMLElement && target.isConnected) target.focus()
    else focusScreenHeading()
  }
}

/**
 * Install guidance where it protects the technician's work. On iPhone and iPad, Safari deletes
 * what a website stored (jobs, photos, actions not yet uploaded) after 7 days without use, unless
 * the site was added to the Home Screen; there is no install prompt there, so the steps are given.
 * In Chromium the browser's own Install is offered. On Today the card can be put away; Offline
 * Settings always explains it.
 */
export function InstallCard({ place }: { place: 'today' | 'settings' }) {
  const advice = installAdvice.value
  if (!advice || (place === 'today' && installCardDismissed.value)) return null
  if (advice === 'ios') {
    // On Today the card sits above the day's visits: one sentence and the steps folded away, so
    // a phone still shows the first visit (the whole card took half of a 390 × 844 screen).
    const today = place === 'today'
    return (
      <section class="card install" data-testid="install-card" aria-labelledby="install-title">
        <h2 class="card-title" id="install-title">
          Add Fieldline to your Home Screen
        </h2>
        <p>
          {today
            ? 'Safari deletes what Fieldline keeps here, even actions not yet uploaded, after 7 days without using it.'
            : 'Safari deletes what Fieldline keeps on this iPhone or iPad, including actions not yet uploaded, after 7 days without using it. Added to your Home Screen, Fieldline keeps it.'}
        </p>
        {today ? (
          <details class="install-how">
            <summary>Show me how</summary>
            <IosSteps />
          </details>
        ) : (
          <IosSteps />
        )}
        {today && (
          <button type="button" class="button small" onClick={notNow}>
            Not now
          </button>
        )}
      </section>
    )
  }
  return (
    <section class="card install" data-testid="install-card" aria-labelledby="install-title">
      {/* Not "Install Fieldline": that is the button's name, and a region named like its own
          button was read twice over. */}
      <h2 class="card-title" id="install-title">
        Use Fieldline as an app
      </h2>
      <p>
        Installed, Fieldline opens like an app from your home screen, works with no signal, and the
        browser is less likely to clear what it keeps on this device.
      </p>
      <div class="button-row">
        <button type="button" class="button primary" onClick={installNow}>
          Install Fieldline
        </button>
        {place === 'today' && (
          <button type="button" class="button" onClick={notNow}>
            Not now
          </button>
        )}
      </div>
    </section>
  )
}

function IosSteps() {
  return (
    <ol class="install-steps">
      <li>
        Tap <strong>Share</strong> (the square with an arrow) in Safari.
      </li>
      <li>
        Tap <strong>Add to Home Screen</strong>, then <strong>Add</strong>.
      </li>
      <li>
        Open Fieldline from its new icon and sign in there. It keeps its own copy, so do this when
        nothing is waiting to upload.
      </li>
    </ol>
  )
}
