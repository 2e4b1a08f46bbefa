import { useSignal } from '@preact/signals'
import type { SignatureSubject } from '../../../protocol/entities'
import { documentTotals, formatCents } from '../../../protocol/money'
import { PendingBadge } from '../../components/PendingBadge'
import { SignaturePad } from '../../components/SignaturePad'
import { addSignature } from '../../data/commands'
import { pendingStatus } from '../../data/outboxState'
import type { JobDetail } from '../../data/queries'
import { formatStamp } from '../../format'
import './SignaturesCard.css'

/** Signatures on the job (work done) and on its estimates and invoices. */
export function SignaturesCard({ d }: { d: JobDetail }) {
  const signing = useSignal(false)
  // The work on the job is what is usually signed: chosen from the start, not a blank select.
  const subject = useSignal(`job:${d.job.id}`)
  const subjects: Array<{ key: string; label: string; what: string }> = [
    {
      key: `job:${d.job.id}`,
      label: 'The work on this job',
      what: `the work on Job #${d.job.number}, ${d.job.title}`,
    },
    ...d.estimates.map((e) => ({
      key: `estimate:${e.id}`,
      label: `Estimate ${e.number}`,
      what: `Estimate ${e.number} · ${formatCents(documentTotals(e).totalCents)}`,
    })),
    ...d.invoices.map((i) => ({
      key: `invoice:${i.id}`,
      label: `Invoice ${i.number}`,
      what: `Invoice ${i.number} · ${formatCents(documentTotals(i).totalCents)}`,
    })),
  ]
  const nameOf = (type: string, id: string) =>
    type === 'job' ? 'the job' : (subjects.find((s) => s.key === `${type}:${id}`)?.label ?? type)
  return (
    <section class="card" data-testid="signatures">
      <h2 class="card-title">Signatures</h2>
      <ul class="rows">
        {d.signatures.map((s) => (
          <li key={s.id} class={pendingStatus(s.id) ? 'pending' : ''} data-testid="signature">
            <img class="signature-img" src={s.image} alt={`Signature of ${s.signerName}`} />
            <span>
              {s.signerName} on <span class="nowrap">{nameOf(s.subjectType, s.subjectId)}</span> ·{' '}
              <span class="nowrap">{formatStamp(s.signedAt)}</span>{' '}
              <PendingBadge status={pendingStatus(s.id)} />
            </span>
          </li>
        ))}
      </ul>
      <div class="form">
        <label>
          What is signed
          <select
            value={subject.value}
            onChange={(e) => (subject.value = (e.currentTarget as HTMLSelectElement).value)}
          >
            {subjects.map((s) => (
              <option key={s.key} value={s.key}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" class="button" onClick={() => (signing.value = true)}>
          Collect signature
        </button>
      </div>
      {signing.value && (
        <SignaturePad
          title="Sign here"
          what={subjects.find((s) => s.key === subject.value)?.what}
          onClose={() => (signing.value = false)}
          onSave={(signer, image) => {
            const [type, id] = subject.value.split(':') as [SignatureSubject, string]
            void addSignature(d.job.id, type, id, signer, image).then((r) => {
              if (r.ok) signing.value = false
            })
          }}
        />
      )}
    </section>
  )
}
