// `dexie` in the app's and the service worker's builds (vite.config.ts aliases it here; Node
// tests keep the package's own entry). Dexie's ES2021 build (dist/modern): the same library as
// the ES5 build the package's entry wraps, ~2 KB gzip smaller in the first screen. Registered
// once per JS context like that entry (node_modules/dexie/import-wrapper.mjs), which this
// mirrors: another copy loaded into the page (the e2e faults helper) then uses this instance
// instead of opening the database with its own.
import ModernDexie from 'dexie/dist/modern/dexie.mjs'

const DexieSymbol = Symbol.for('Dexie')
globalThis[DexieSymbol] ||= ModernDexie
const Dexie = globalThis[DexieSymbol]
if (ModernDexie.semVer !== Dexie.semVer) {
  throw new Error(
    `Two different versions of Dexie loaded in the same app: ${ModernDexie.semVer} and ${Dexie.semVer}`,
  )
}
export const {
  liveQuery,
  mergeRanges,
  rangesOverlap,
  RangeSet,
  cmp,
  Entity,
  PropModification,
  replacePrefix,
  add,
  remove,
  DexieYProvider,
} = Dexie
export { Dexie }
export default Dexie
