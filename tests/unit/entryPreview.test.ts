import { describe, expect, it } from 'vitest'
import type { OutboxEntry } from '../../offline/outboxEntry'
import type { MutationName } from '../../protocol/mutations'
import { firstWords, previewOf } from '../../src/data/entryPreview'

const entry = (name: MutationName, args: unknown): OutboxEntry => ({
  id: 'x',
  name,
  args,
  at: '2026-11-28T09:00:00.000Z',
  status: 'queued',
  attempts: 0,
  label: 'label',
  entityKeys: [],
})
const none = new Map<string, string>()

describe('Offline Actions previews', () => {
  it("a note's first dozen words", () => {
    const body =
      'Replaced the run capacitor, cleaned the condenser coil and checked the refrigerant charge twice'
    expect(previewOf(entry('note.add', { body }), none).text).toBe(
      '“Replaced the run capacitor, cleaned the condenser coil and checked the refrigerant…”',
    )
    expect(firstWords('  short\n note ')).toBe('short note')
  })

  it("a photo's thumbnail and name; nothing more for a PDF (its line names it)", () => {
    const photo = previewOf(
      entry('attachment.add', { kind: 'photo', filename: 'coil.jpg', thumbnail: 'data:x' }),
      none,
    )
    expect(photo).toEqual({ text: 'coil.jpg', thumbnail: 'data:x' })
    const pdf = previewOf(
      entry('attachment.add', { kind: 'pdf', filename: 'permit.pdf', thumbnail: null }),
      none,
    )
    expect(pdf).toEqual({ text: null, thumbnail: null })
  })

  it("an edit's fields in words, and the form fields answered by name", () => {
    const job = entry('job.update', { changes: { title: 'a', status: 'completed' } })
    expect(previewOf(job, none).text).toBe('Changed title and status')
    const doc = entry('invoice.update', { changes: { lineItems: [], taxRateBps: 5 } })
    expect(previewOf(doc, none).text).toBe('Changed line items and tax rate')
    const labels = new Map([
      ['f1', 'Leak test passed'],
      ['f2', 'Technician comments'],
    ])
    const form = entry('jobForm.answer', { answers: { f1: true, f2: 'ok', f3: 1 } })
    expect(previewOf(form, labels).text).toBe(
      'Answered: Leak test passed, Technician comments and a field',
    )
  })

  it("a check's number (the line already gives amount and method)", () => {
    const check = entry('payment.add', { method: 'check', amountCents: 4000, reference: '1187' })
    expect(previewOf(check, none).text).toBe('Check #1187')
    const cash = entry('payment.add', { method: 'cash', amountCents: 4000, reference: null })
    expect(previewOf(cash, none).text).toBeNull()
  })

  it("a new document's lines and total; nothing more for a signature (its line names the signer)", () => {
    const lineItems = [{ id: 'l', description: 'Labor', quantity: 2, unitPriceCents: 5000 }]
    const estimate = entry('estimate.create', { lineItems, taxRateBps: 0 })
    expect(previewOf(estimate, none).text).toBe('1 line, $100.00')
    expect(previewOf(entry('signature.add', { signerName: 'Pat' }), none).text).toBeNull()
  })
})
