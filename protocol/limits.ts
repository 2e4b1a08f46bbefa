/** Most mutations one push may carry; the device sends batches of at most this many. */
export const MAX_PUSH_BATCH = 500
/** Largest push body the server reads, in bytes (files travel on their own requests). */
export const MAX_PUSH_BYTES = 2 * 1024 * 1024
