import { useSignal } from '@preact/signals'
import { useEffect } from 'preact/hooks'
import { refreshNow } from '../data/sync'
import { Icon } from './Icon'
import './PullToRefresh.css'

const TRIGGER_PX = 72

/**
 * Pull-to-refresh on touch screens: dragging down from the top of the page uploads the queue
 * and then pulls, like the Refresh button. Mouse users have the button.
 */
export function PullToRefresh() {
  const pulled = useSignal(0)
  useEffect(() => {
    let startY: number | null = null
    const start = (e: TouchEvent) => {
      startY =
        window.scrollY <= 0 && e.touches.length === 1 ? (e.touches[0]?.clientY ?? null) : null
    }
    const move = (e: TouchEvent) => {
      if (startY === null) return
      const dy = (e.touches[0]?.clientY ?? startY) - startY
      pulled.value = dy > 0 ? Math.min(dy, TRIGGER_PX * 1.5) : 0
    }
    const end = () => {
      if (pulled.value >= TRIGGER_PX) void refreshNow()
      pulled.value = 0
      startY = null
    }
    addEventListener('touchstart', start, { passive: true })
    addEventListener('touchmove', move, { passive: true })
    addEventListener('touchend', end)
    addEventListener('touchcancel', end)
    return () => {
      removeEventListener('touchstart', start)
      removeEventListener('touchmove', move)
      removeEventListener('touchend', end)
      removeEventListener('touchcancel', end)
    }
  }, [])
  if (pulled.value < 8) return null
  const ready = pulled.value >= TRIGGER_PX
  return (
    <div class="pull-indicator" style={{ height: `${pulled.value}px` }} aria-hidden="true">
      <span class={ready ? 'ready' : ''}>
        <Icon name="refresh" /> {ready ? 'Release to refresh' : 'Pull to refresh'}
      </span>
    </div>
  )
}
