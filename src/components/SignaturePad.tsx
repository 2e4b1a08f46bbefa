import { useSignal } from '@preact/signals'
import { useEffect, useRef } from 'preact/hooks'
import { Dialog } from './Dialog'
import './SignaturePad.css'

/**
 * A canvas to sign with a finger (pointer events: touch, pen or mouse), with the signer's name.
 * Gives back a PNG data: URL, small enough to queue (white strokes are not stored: transparent).
 */
export function SignaturePad(props: {
  title: string
  onSave: (signerName: string, image: string) => void
  onClose: () => void
}) {
  const canvas = useRef<HTMLCanvasElement>(null)
  const drawn = useSignal(false)
  const name = useSignal('')
  useEffect(() => {
    const c = canvas.current
    const ctx = c?.getContext('2d')
    if (!c || !ctx) return
    const ratio = window.devicePixelRatio || 1
    c.width = c.clientWidth * ratio
    c.height = c.clientHeight * ratio
    ctx.scale(ratio, ratio)
    ctx.lineWidth = 2.5
    ctx.lineCap = 'round'
    ctx.lineJoin = 'round'
    ctx.strokeStyle = '#0f1b26'
    let last: { x: number; y: number } | null = null
    const at = (e: PointerEvent) => {
      const r = c.getBoundingClientRect()
      return { x: e.clientX - r.left, y: e.clientY - r.top }
    }
    const down = (e: PointerEvent) => {
      c.setPointerCapture(e.pointerId)
      last = at(e)
      e.preventDefault()
    }
    const move = (e: PointerEvent) => {
      if (!last) return
      const p = at(e)
      ctx.beginPath()
      ctx.moveTo(last.x, last.y)
      ctx.lineTo(p.x, p.y)
      ctx.stroke()
      last = p
      drawn.value = true
      e.preventDefault()
    }
    const up = () => {
      last = null
    }
    c.addEventListener('pointerdown', down)
    c.addEventListener('pointermove', move)
    c.addEventListener('pointerup', up)
    c.addEventListener('pointercancel', up)
    return () => {
      c.removeEventListener('pointerdown', down)
      c.removeEventListener('pointermove', move)
      c.removeEventListener('pointerup', up)
      c.removeEventListener('pointercancel', up)
    }
  }, [])
  function clear() {
    const c = canvas.current
    c?.getContext('2d')?.clearRect(0, 0, c.width, c.height)
    drawn.value = false
  }
  return (
    <Dialog title={props.title} onClose={props.onClose}>
      <canvas
        ref={canvas}
        class="signature-pad"
        data-testid="signature-pad"
        aria-label="Sign here"
      />
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault()
          if (canvas.current && drawn.value && name.value.trim()) {
            props.onSave(name.value.trim(), canvas.current.toDataURL('image/png'))
          }
        }}
      >
        <label>
          Signer's name
          <input
            required
            maxLength={120}
            value={name.value}
            onInput={(e) => (name.value = (e.currentTarget as HTMLInputElement).value)}
          />
        </label>
        <div class="dialog-buttons">
          <button
            type="submit"
            class="button primary"
            disabled={!drawn.value || !name.value.trim()}
          >
            Save signature
          </button>
          <button type="button" class="button" onClick={clear}>
            Clear
          </button>
          <button type="button" class="button" onClick={props.onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  )
}
