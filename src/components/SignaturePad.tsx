import { useSignal } from '@preact/signals'
import { useEffect, useId, useRef } from 'preact/hooks'
import { Dialog } from './Dialog'
import { drawTypedName } from './typedSignature'
import './SignaturePad.css'

/** What the pad holds: nothing, strokes drawn with a finger, or the signer's typed name. */
type Held = 'empty' | 'drawn' | 'typed'

/**
 * A canvas to sign with a finger (pointer events: touch, pen or mouse), with the signer's name.
 * Whoever cannot draw (keyboard, screen reader) signs with the typed name instead, drawn on the
 * same canvas in a script font: either way the record is the name and a PNG of the signature.
 * Gives back a PNG data: URL, small enough to queue (white strokes are not stored: transparent).
 */
export function SignaturePad(props: {
  title: string
  /** What the customer is signing, in words they can check ("Estimate E-1254-1 · $392.97"). */
  what?: string
  onSave: (signerName: string, image: string) => void
  onClose: () => void
}) {
  const canvas = useRef<HTMLCanvasElement>(null)
  const nameField = useRef<HTMLInputElement>(null)
  const held = useSignal<Held>('empty')
  const name = useSignal('')
  // Set once Save (or Sign with typed name) was tried too early: from then on the hint is an
  // error and the empty name field is marked invalid. Before, a name of spaces was refused in
  // silence (focus moved, nothing said).
  const tried = useSignal(false)
  const hintId = useId()
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
      // Drawing over a typed name starts afresh: one image is one kind of signature.
      if (held.value === 'typed') clear()
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
      held.value = 'drawn'
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
    held.value = 'empty'
  }
  /** Draws the name as typed now; called again on every edit, so image and name never differ. */
  function drawTyped() {
    const c = canvas.current
    const ctx = c?.getContext('2d')
    if (!c || !ctx) return
    ctx.clearRect(0, 0, c.width, c.height)
    drawTypedName(ctx, name.value.trim(), c.clientWidth, c.clientHeight)
    held.value = 'typed'
  }
  const signer = name.value.trim()
  const signed = held.value === 'drawn' || (held.value === 'typed' && signer !== '')
  const ready = signed && signer !== ''
  return (
    <Dialog title={props.title} onClose={props.onClose}>
      {props.what && (
        <p class="signature-what" data-testid="signature-what">
          Signing for: <strong>{props.what}</strong>
        </p>
      )}
      <form
        class="form signature-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          if (canvas.current && ready) {
            props.onSave(signer, canvas.current.toDataURL('image/png'))
            return
          }
          tried.value = true
          if (!signer) nameField.current?.focus()
        }}
      >
        <label>
          Signer's name
          <input
            ref={nameField}
            aria-required="true"
            aria-invalid={tried.value && !signer ? 'true' : undefined}
            aria-describedby={tried.value && !signer ? hintId : undefined}
            maxLength={120}
            autoComplete="off"
            value={name.value}
            onInput={(e) => {
              name.value = (e.currentTarget as HTMLInputElement).value
              if (held.value === 'typed') drawTyped()
            }}
          />
        </label>
        {/* An image to assistive technology, named by what it holds: a canvas has no text. */}
        <canvas
          ref={canvas}
          class="signature-pad"
          data-testid="signature-pad"
          role="img"
          aria-label={padName(held.value, signer)}
        />
        <div class="signature-tools">
          <button
            type="button"
            class="button"
            onClick={() => {
              if (signer) {
                drawTyped()
                return
              }
              tried.value = true
              nameField.current?.focus()
            }}
          >
            Sign with typed name
          </button>
          <button type="button" class="button" onClick={clear}>
            Clear
          </button>
        </div>
        <p
          id={hintId}
          class={`small signature-hint ${tried.value && !ready ? 'error' : 'muted'}`}
          aria-live="polite"
        >
          {tried.value && !ready ? 'Cannot save yet. ' : ''}
          {hint(held.value, signer, signed)}
        </p>
        <div class="dialog-buttons">
          {/* Never disabled: it stays in the Tab order and says (the hint) why it cannot save. */}
          <button
            type="submit"
            class={`button primary${ready ? '' : ' disabled'}`}
            aria-disabled={!ready}
            aria-describedby={hintId}
          >
            Save signature
          </button>
          <button type="button" class="button" onClick={props.onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  )
}

function padName(held: Held, signer: string): string {
  if (held === 'drawn') return 'Signature box: signed by drawing'
  if (held === 'typed' && signer) return `Signature box: typed name ${signer}`
  return 'Signature box: empty'
}

/** Why Save cannot be used yet, or that it can (a live region: changes are announced). */
function hint(held: Held, signer: string, signed: boolean): string {
  if (!signer && !signed)
    return 'To save: type the signer’s name, then draw in the box or choose Sign with typed name.'
  if (!signer) return 'To save: type the signer’s name.'
  if (!signed) return 'To save: draw in the box with a finger, or choose Sign with typed name.'
  return held === 'typed' ? 'Ready to save: signed with the typed name.' : 'Ready to save.'
}
