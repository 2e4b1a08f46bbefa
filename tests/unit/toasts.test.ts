import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  dismissOfflineToasts,
  dismissToast,
  SAVED_OFFLINE,
  showToast,
  toast,
} from '../../src/data/alerts'

afterEach(() => {
  dismissToast()
  vi.useRealTimers()
})

describe('the one toast', () => {
  it('counts repeats of the saved-offline message instead of stacking them', () => {
    showToast(SAVED_OFFLINE, 'offline')
    expect(toast.value?.text).toBe(SAVED_OFFLINE)
    showToast(SAVED_OFFLINE, 'offline')
    showToast(SAVED_OFFLINE, 'offline')
    expect(toast.value?.text).toBe(`${SAVED_OFFLINE} 3 actions saved offline.`)
  })

  it('replaces an older message with a newer one, but never an error with a lesser message', () => {
    showToast('Pre-loaded', 'info')
    showToast('This photo is larger than 20 MB.', 'error', 8_000)
    showToast(SAVED_OFFLINE, 'offline')
    expect(toast.value?.text).toBe('This photo is larger than 20 MB.')
    showToast('Only PDF files can be attached here.', 'error', 8_000)
    expect(toast.value?.text).toBe('Only PDF files can be attached here.')
  })

  it('goes away on its own, and offline messages go when the connection returns', () => {
    vi.useFakeTimers()
    showToast('Pre-loaded', 'info', 4_000)
    vi.advanceTimersByTime(4_001)
    expect(toast.value).toBeNull()
    showToast(SAVED_OFFLINE, 'offline')
    dismissOfflineToasts()
    expect(toast.value).toBeNull()
    showToast('Pre-loaded', 'info')
    dismissOfflineToasts()
    expect(toast.value?.text).toBe('Pre-loaded')
  })

  it('keeps counting from a fresh start once the message was dismissed', () => {
    showToast(SAVED_OFFLINE, 'offline')
    showToast(SAVED_OFFLINE, 'offline')
    dismissToast()
    showToast(SAVED_OFFLINE, 'offline')
    expect(toast.value?.text).toBe(SAVED_OFFLINE)
  })
})
