import type { Signal } from '@preact/signals'
import { useEffect } from 'preact/hooks'
import { announce, dismissToast, toast } from '../data/alerts'

/** What is wrong with a form, and the field it is about (the input's `name`), if one. */
export interface FormProblem {
  message: string
  field?: string
}

/**
 * A form's error, said so that everyone gets it (WCAG 3.3.1, 4.1.3). About a field: the field is
 * marked invalid, described by the message, and takes focus (`showProblem`), so a screen reader
 * reads the field, "invalid", and what is wrong. About the whole form (a save that failed): the
 * message is an alert. Before, errors were a plain paragraph: seen, never heard.
 */
export function FormError({ id, problem }: { id: string; problem: FormProblem | null }) {
  const message = problem?.message
  // A refusal the form shows here was also a toast (commands.ts fail): said twice, once is enough.
  useEffect(() => {
    if (message && toast.peek()?.text === message) dismissToast()
  }, [message])
  if (!problem) return null
  return (
    <p class="error" id={id} role={problem.field ? undefined : 'alert'} data-testid="form-error">
      {problem.message}
    </p>
  )
}

/** The attributes of a field the form's problem may be about. */
export function fieldProps(problem: FormProblem | null, name: string, errorId: string) {
  const mine = problem?.field === name
  return {
    name,
    'aria-invalid': mine ? ('true' as const) : undefined,
    'aria-describedby': mine ? errorId : undefined,
  }
}

/** Shows the problem and, when it is about a field, moves focus there once it is marked. */
export function showProblem(
  form: HTMLFormElement | null,
  target: Signal<FormProblem | null>,
  problem: FormProblem,
): void {
  target.value = problem
  const field = problem.field
  if (!field || !form) return
  requestAnimationFrame(() => {
    const el = form.elements.namedItem(field)
    if (!(el instanceof HTMLElement)) return
    // Saved with Enter from the field itself: focus does not move, so nothing is read out (the
    // message is only its description). Said in the announcement region instead.
    if (el === document.activeElement) announce(problem.message)
    else el.focus()
  })
}
