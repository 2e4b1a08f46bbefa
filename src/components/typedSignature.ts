/**
 * A typed name drawn as a signature, for whoever cannot draw one (keyboard, screen reader, a
 * shaking hand): the name in the device's own handwriting-style font, so the saved image is a
 * signature image like a drawn one. System fonts only: a web font would have to be downloaded
 * (the app works offline, and the bundle budget has no room for one). Each platform has one of
 * these; `cursive` is the browser's own pick where none is named (Dancing Script on Android).
 */
export const SCRIPT_FONTS =
  '"Segoe Script", "Snell Roundhand", "Bradley Hand", "Apple Chancery", "Brush Script MT", "URW Chancery L", Z003, cursive'

/** Draws `name` centred on the pad (CSS pixels: the context is already scaled to the screen). */
export function drawTypedName(ctx: CanvasRenderingContext2D, name: string, w: number, h: number) {
  const room = w - 32
  // As large as fits the pad's height, then smaller until it fits its width (a long name).
  let size = Math.min(64, h * 0.45)
  ctx.font = `${size}px ${SCRIPT_FONTS}`
  while (size > 20 && ctx.measureText(name).width > room) {
    size -= 2
    ctx.font = `${size}px ${SCRIPT_FONTS}`
  }
  ctx.fillStyle = '#0f1b26'
  ctx.textAlign = 'center'
  ctx.textBaseline = 'alphabetic'
  // fillText's maxWidth squeezes what still does not fit at the smallest size: never cut off.
  ctx.fillText(name, w / 2, h * 0.62, room)
}
