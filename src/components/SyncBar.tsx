import {
  conflictCount,
  failedCount,
  firstConflictSeq,
  pendingCount,
  waitingCount,
} from '../data/outboxState'
import { href, route } from '../data/router'
import { sessionExpired } from '../data/session'
import {
  othersWords,
  sessionEndedWords,
  updateRequiredWords,
  uploadInFlight,
} from '../data/statusWords'
import { updateReady } from '../data/swBridge'
import { updateRequired, uploadProgress } from '../data/sync'
import { applyUpdate, updateWaitsForSafeMoment } from '../data/update'
import './SyncBar.css'

/**
 * Upload progress, "update required", the "update ready" prompt and the expired-session notice,
 * under the header.
 */
export function SyncBar() {
  const progress = uploadProgress.value
  return (
    <>
      {sessionExpired.value && (
        <div class="notice notice-warn" role="alert" data-testid="session-expired">
          <span class="notice-text">{sessionEndedWords(pendingCount.value)}</span>
          <a class="button small" href="#/signin">
            Sign in
          </a>
        </div>
      )}
      {/* Only while a request is really on its way: on a dead link the offline alert speaks. */}
      {progress && progress.total > 0 && uploadInFlight.value && (
        <div class="notice notice-sync" data-testid="upload-progress">
          <span class="notice-text">
            Uploading {Math.min(progress.done + 1, progress.total)} of {progress.total}
          </span>
          <progress aria-label="Upload progress" max={progress.total} value={progress.done} />
        </div>
      )}
      {failedCount.value > 0 && route.value.name !== 'actions' && (
        <div class="notice notice-warn" role="status" data-testid="failed-notice">
          <span class="notice-text">
            {failedCount.value === 1
              ? '1 action could not upload.'
              : `${failedCount.value} actions could not upload.`}
            {waitingCount.value > 0 && ` ${othersWords()}`}
          </span>
          <a class="button small" href="#/settings/actions">
            Review
          </a>
        </div>
      )}
      {/* A conflict waits for the technician's choice: said in words, not only by a badge on the
          item and the pill's dot (on a narrow phone the dot was all there was). */}
      {conflictCount.value > 0 && route.value.name !== 'actions' && (
        <div class="notice notice-warn" data-testid="conflict-notice">
          <span class="notice-text">
            {conflictCount.value === 1
              ? 'The office changed something you changed too.'
              : `The office changed ${conflictCount.value} things you changed too.`}
          </span>
          {/* "Choose" to the eye, so the button sits beside the words on a phone; the name says
              what is chosen and starts with the visible word (WCAG 2.5.3). */}
          <a
            class="button small"
            href={href({ name: 'actions', focus: firstConflictSeq.value })}
            aria-label="Choose what to keep"
          >
            Choose
          </a>
        </div>
      )}
      {/* The server refused this version (426): the queue waits for the update, never Failed. */}
      {updateRequired.value && (
        <div class="notice notice-warn" role="alert" data-testid="update-required">
          <span class="notice-text">{updateRequiredWords(waitingCount.value)}</span>
        </div>
      )}
      {updateReady.value && (
        <div class="notice notice-info" role="status" data-testid="update-ready">
          {updateWaitsForSafeMoment.value ? (
            <span class="notice-text">
              Fieldline will update as soon as you save or close what you are editing.
            </span>
          ) : (
            <>
              <span class="notice-text">A new version of Fieldline is ready.</span>
              <button type="button" class="button small" onClick={applyUpdate}>
                Reload
              </button>
            </>
          )}
        </div>
      )}
    </>
  )
}
