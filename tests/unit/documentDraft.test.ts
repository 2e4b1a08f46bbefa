// @vitest-environment happy-dom
import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { type EditorState, type Row, rebaseDraft } from '../../src/screens/documentDraft'

/**
 * An estimate's draft kept on the device may be opened again after the office changed the
 * estimate: the technician's changes stay, and what they did not touch takes the office's value
 * (sending the old one back would undo the office's change without a word).
 */
const row = (id: string, description: string, quantity = '1', price = '10.00'): Row => ({
  id,
  description,
  quantity,
  price,
})
const doc = (rows: Row[], tax = '8', status: EditorState['status'] = 'draft'): EditorState => ({
  rows,
  tax,
  status,
})

describe('rebaseDraft', () => {
  it('takes the draft as it is when the document did not change', () => {
    const base = doc([row('a', 'Filter')])
    const state = doc([row('a', 'Filter', '2'), row('b', 'Labour')], '9')
    expect(rebaseDraft({ base, state }, base)).toEqual(state)
  })

  it('a new document (its blank line has a new random id each time) is the draft as it is', () => {
    const base = doc([row('x1', '', '1', '')], '0')
    const state = doc([row('x1', 'Filter', '2', '5.00')], '0')
    expect(rebaseDraft({ base, state }, doc([row('x2', '', '1', '')], '0'))).toEqual(state)
  })

  it('keeps what the technician changed and takes the office’s value for the rest', () => {
    const base = doc([row('a', 'Filter'), row('b', 'Labour', '1', '80.00'), row('c', 'Valve')])
    // The technician: quantity of a, tax; removed c; added d.
    const state = doc(
      [row('a', 'Filter', '2'), row('b', 'Labour', '1', '80.00'), row('d', 'Seal')],
      '9',
    )
    // The office: price of a, description of b, status, added e.
    const now = doc(
      [
        row('a', 'Filter', '1', '12.00'),
        row('b', 'Labour (1 h)', '1', '80.00'),
        row('c', 'Valve'),
        row('e', 'Trip'),
      ],
      '8',
      'sent',
    )
    expect(rebaseDraft({ base, state }, now)).toEqual(
      doc(
        [
          row('a', 'Filter', '2', '12.00'),
          row('b', 'Labour (1 h)', '1', '80.00'),
          row('d', 'Seal'),
          row('e', 'Trip'),
        ],
        '9',
        'sent',
      ),
    )
  })

  it('a line the office removed goes unless the technician changed it', () => {
    const base = doc([row('a', 'Filter'), row('b', 'Labour')])
    const state = doc([row('a', 'Filter'), row('b', 'Labour', '3')])
    const now = doc([])
    expect(rebaseDraft({ base, state }, now).rows).toEqual([row('b', 'Labour', '3')])
    const untouched = doc([row('a', 'Filter'), row('b', 'Labour')], '9')
    expect(rebaseDraft({ base, state: untouched }, doc([row('b', 'Labour')])).rows).toEqual([
      row('b', 'Labour'),
    ])
  })
})
