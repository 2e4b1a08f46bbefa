import { signal } from '@preact/signals'

export interface Toast {
  id: number
  text: string
  tone: 'info' | 'offline' | 'error'
}

/** Short, non-blocking messages at the bottom of the screen. */
export const toasts = signal<Toast[]>([])
let next = 1

export function showToast(text: string, tone: Toast['tone'] = 'info', ms = 4_000): void {
  const toast = { id: next++, text, tone }
  toasts.value = [...toasts.value.slice(-2), toast]
  setTimeout(() => dismissToast(toast.id), ms)
}

export function dismissToast(id: number): void {
  toasts.value = toasts.value.filter((t) => t.id !== id)
}

/** The brief's words for a change saved while offline. */
export const SAVED_OFFLINE = "Saved on this device; it will upload when you're back online."
