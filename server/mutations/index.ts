import type { MutationName } from '../../protocol/mutations'
import { applyNoteAdd } from './noteAdd'
import type { ApplyFn } from './types'

/**
 * The apply function of every mutation the protocol defines. The mapped type makes a new entry
 * in protocol/mutations.ts a compile error here until its apply function exists.
 */
export const applyFns: { [N in MutationName]: ApplyFn<N> } = {
  'note.add': applyNoteAdd,
}
