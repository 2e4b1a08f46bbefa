import type { MutationName } from '../../protocol/mutations'
import type { LocalAction } from './localAction'
import { noteAdd } from './noteAdd'

/** Every action the device can queue, by the name it travels under. */
export const localActions: { [N in MutationName]: LocalAction<N> } = {
  'note.add': noteAdd,
}
