import type { ApiError } from '../protocol/auth'
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../protocol/version'

/**
 * Every request the app makes to the API goes through `requestJson`, which never throws and
 * never hangs: a weak link that stalls a request is cut at `timeoutMs` and reported as
 * `timeout`, so the caller treats it like being offline instead of spinning forever.
 */
export type NetResult<T> =
  /** `bytes`: size of the answer's text (what a pre-load reports as transferred). */
  | { kind: 'ok'; status: number; body: T; bytes: number }
  /** fetch itself failed: no network, DNS, connection refused or reset. */
  | { kind: 'offline'; detail: string }
  | { kind: 'timeout' }
  /** 401: the session is gone (expired or signed out elsewhere). */
  | { kind: 'unauthenticated' }
  /** 5xx, 429, or a body that was not the JSON we expected: try again later. */
  | { kind: 'server'; status: number; message: string }
  /** Any other 4xx: the server understood and refused; retrying the same thing won't help. */
  | { kind: 'refused'; status: number; error: ApiError }

export type NetKind = NetResult<unknown>['kind']

type Observer = (kind: NetKind, url: string) => void
let observer: Observer | undefined

/** The page's connection state listens here; the service worker leaves it unset. */
export function observeNetwork(fn: Observer | undefined): void {
  observer = fn
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  body?: unknown
  timeoutMs: number
  /** Bytes of the answer received so far, and its Content-Length when the server sent one. */
  onProgress?: (loaded: number, total: number | null) => void
  /** Gives up on the request when it aborts: answered `timeout`, and not reported to the observer. */
  signal?: AbortSignal
}

/**
 * A request still unanswered after this long is already evidence of a weak link: the observer
 * hears `timeout` then, not only at the request's own (longer) limit. Where the browser never
 * reports "offline" (WebKit on a dead hotspot: `navigator.onLine` stays true and requests just
 * hang), this is what makes the offline alert show within seconds instead of after the 30 s
 * pull limit.
 */
const SLOW_MS = 4_000

export async function requestJson<T>(url: string, opts: RequestOptions): Promise<NetResult<T>> {
  const slow =
    observer && opts.timeoutMs > SLOW_MS
      ? setTimeout(() => observer?.('timeout', url), SLOW_MS)
      : undefined
  // Headers arriving is the server answering: a long body (a big pre-load) is not a weak link.
  const result = await send<T>(url, opts, () => clearTimeout(slow))
  clearTimeout(slow)
  // Given up by its caller (firstPage.ts): no evidence about the link either way.
  if (!opts.signal?.aborted) observer?.(result.kind, url)
  return result
}

async function send<T>(
  url: string,
  opts: RequestOptions,
  onHeaders: () => void,
): Promise<NetResult<T>> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), opts.timeoutMs)
  opts.signal?.addEventListener('abort', () => controller.abort(), { once: true })
  let response: Response
  try {
    response = await fetch(url, {
      method: opts.method ?? 'GET',
      // Every request names the protocol this app speaks; the server checks it on push and pull.
      headers: {
        [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
        ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal: controller.signal,
    })
  } catch (err) {
    clearTimeout(timer)
    if (controller.signal.aborted) return { kind: 'timeout' }
    return { kind: 'offline', detail: String(err) }
  }
  onHeaders()
  try {
    // The body can stall too, so the timer keeps running until it has arrived.
    const text = opts.onProgress
      ? await readWithProgress(response, opts.onProgress)
      : await response.text()
    clearTimeout(timer)
    return classify<T>(response.status, text)
  } catch {
    clearTimeout(timer)
    return controller.signal.aborted ? { kind: 'timeout' } : { kind: 'offline', detail: 'body' }
  }
}

function classify<T>(status: number, text: string): NetResult<T> {
  let body: unknown
  try {
    body = text ? JSON.parse(text) : undefined
  } catch {
    // A captive portal or proxy answering HTML is not our server: treat as not reachable.
    return { kind: 'server', status, message: 'The server answered something unexpected.' }
  }
  if (status >= 200 && status < 300)
    return { kind: 'ok', status, body: body as T, bytes: text.length }
  if (status === 401) return { kind: 'unauthenticated' }
  const error = toApiError(body, status)
  if (status >= 500 || status === 429 || status === 408) {
    return { kind: 'server', status, message: error.message }
  }
  return { kind: 'refused', status, error }
}

function toApiError(body: unknown, status: number): ApiError {
  if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string') {
    const error = 'error' in body && typeof body.error === 'string' ? body.error : `http_${status}`
    return { error, message: body.message }
  }
  return { error: `http_${status}`, message: `The server answered ${status}.` }
}

async function readWithProgress(
  response: Response,
  onProgress: (loaded: number, total: number | null) => void,
): Promise<string> {
  // A compressed answer's Content-Length counts the bytes on the wire, while the stream below
  // gives the text: a total only when they are the same thing.
  const length = response.headers.get('content-encoding')
    ? Number.NaN
    : Number(response.headers.get('content-length'))
  const total = Number.isFinite(length) && length > 0 ? length : null
  if (!response.body) return response.text()
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  let text = ''
  let loaded = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    loaded += value.byteLength
    text += decoder.decode(value, { stream: true })
    onProgress(loaded, total)
  }
  return text + decoder.decode()
}
