import type { FormProblem } from '../components/FormError'

/** The first thing to fix, by line and field, so the message can say where and focus go there. */
export function firstProblem(
  lines: Array<{ description: string; quantity: number; unitPriceCents: number | null }>,
  taxBps: number,
): FormProblem {
  for (const [i, l] of lines.entries()) {
    const n = i + 1
    if (!l.description)
      return { message: `Line ${n} needs a description.`, field: `line-${i}-description` }
    if (!Number.isFinite(l.quantity) || l.quantity < 0)
      return { message: `Line ${n}: enter a quantity like 1 or 2.5.`, field: `line-${i}-quantity` }
    if (l.unitPriceCents === null)
      return { message: `Line ${n}: enter a unit price like 12.50.`, field: `line-${i}-price` }
  }
  if (!Number.isFinite(taxBps)) return { message: 'Enter a tax rate like 8.25.', field: 'tax' }
  return { message: 'Check the lines and the tax rate.' }
}
