import { useSignal } from '@preact/signals'
import { useEffect } from 'preact/hooks'
import type { Attachment } from '../../../protocol/entities'
import { Dialog } from '../../components/Dialog'
import { PendingBadge } from '../../components/PendingBadge'
import { addPdf, addPhoto } from '../../data/commands'
import { connection } from '../../data/connection'
import { fetchFile, localFile } from '../../data/files'
import { pendingStatus } from '../../data/outboxState'
import { formatBytes } from '../../data/storage'
import { formatStamp } from '../../format'
import './AttachmentsCard.css'

/** Photos and PDFs: thumbnails from the device, the full file from the device or, online, fetched. */
export function AttachmentsCard(props: {
  jobId: string
  attachments: Attachment[]
  filesHere: Set<string>
}) {
  const open = useSignal<Attachment | null>(null)
  const busy = useSignal(false)
  async function pick(e: Event, kind: 'photo' | 'pdf') {
    const input = e.currentTarget as HTMLInputElement
    const files = [...(input.files ?? [])]
    input.value = ''
    busy.value = true
    for (const file of files) {
      const res =
        kind === 'photo' ? await addPhoto(props.jobId, file) : await addPdf(props.jobId, file)
      if (!res.ok) break
    }
    busy.value = false
  }
  return (
    <section class="card" data-testid="attachments">
      <h2 class="card-title">Photos and PDFs</h2>
      <div class="thumbs">
        {props.attachments.map((a) => {
          const status = pendingStatus(a.id)
          return (
            <button
              type="button"
              key={a.id}
              class={`thumb${status ? ' pending' : ''}`}
              data-testid={a.kind === 'photo' ? 'photo' : 'pdf'}
              onClick={() => (open.value = a)}
            >
              {/* The file name is printed under it: the picture itself adds no words. A photo
                  whose thumbnail could not be made says Photo, not PDF. */}
              {a.thumbnail ? (
                <img src={a.thumbnail} alt="" />
              ) : (
                <span class="pdf-icon" aria-hidden="true">
                  {a.kind === 'photo' ? 'Photo' : 'PDF'}
                </span>
              )}
              <span class="visually-hidden">{a.kind === 'photo' ? 'Photo: ' : 'PDF: '}</span>
              <span class="thumb-name">{a.filename}</span>
              <PendingBadge status={status} />
            </button>
          )
        })}
      </div>
      <div class="button-row">
        <label class={`button${busy.value ? ' disabled' : ''}`}>
          Take photo
          <input
            type="file"
            accept="image/*"
            capture="environment"
            class="visually-hidden"
            data-testid="photo-input"
            onKeyDown={openOnEnter}
            onChange={(e) => void pick(e, 'photo')}
          />
        </label>
        <label class={`button${busy.value ? ' disabled' : ''}`}>
          Add PDF
          <input
            type="file"
            accept="application/pdf"
            class="visually-hidden"
            data-testid="pdf-input"
            onKeyDown={openOnEnter}
            onChange={(e) => void pick(e, 'pdf')}
          />
        </label>
      </div>
      {open.value && (
        <Viewer
          attachment={open.value}
          here={props.filesHere.has(open.value.id)}
          onClose={() => (open.value = null)}
        />
      )}
    </section>
  )
}

function Viewer(props: { attachment: Attachment; here: boolean; onClose: () => void }) {
  const a = props.attachment
  const url = useSignal<string | null>(null)
  const state = useSignal<'loading' | 'ready' | 'missing'>('loading')
  useEffect(() => {
    let objectUrl: string | null = null
    void (async () => {
      const blob =
        (await localFile(a.id)) ?? (connection.value === 'online' ? await fetchFile(a) : undefined)
      if (!blob) {
        state.value = 'missing'
        return
      }
      objectUrl = URL.createObjectURL(blob)
      url.value = objectUrl
      state.value = 'ready'
    })()
    return () => {
      if (objectUrl) URL.revokeObjectURL(objectUrl)
    }
  }, [a.id])
  return (
    <Dialog title={a.filename} onClose={props.onClose}>
      <p class="muted small">
        {a.kind === 'photo' ? 'Photo' : 'PDF'} · {formatBytes(a.size)} · {formatStamp(a.takenAt)}
      </p>
      {state.value === 'ready' && url.value && a.kind === 'photo' && (
        <img class="viewer-img" src={url.value} alt={a.filename} data-testid="photo-full" />
      )}
      {state.value === 'ready' && url.value && a.kind === 'pdf' && (
        <a
          class="button primary"
          href={url.value}
          target="_blank"
          rel="noreferrer"
          data-testid="open-pdf"
        >
          Open PDF
        </a>
      )}
      {state.value === 'missing' && (
        <>
          {a.thumbnail && <img class="viewer-img" src={a.thumbnail} alt="" />}
          <p>The full file is not on this device yet. It downloads when you're online.</p>
        </>
      )}
      <div class="dialog-buttons">
        <button type="button" class="button" onClick={props.onClose}>
          Close
        </button>
      </div>
    </Dialog>
  )
}

/**
 * Enter opens the picker, as on any button: these look and read as buttons, but Chromium's file
 * input opens only on Space (Safari on both).
 */
function openOnEnter(e: KeyboardEvent): void {
  if (e.key !== 'Enter') return
  e.preventDefault()
  ;(e.currentTarget as HTMLInputElement).click()
}
