import { createHash } from 'node:crypto'
import type { FormAnswer, FormField, LineItem } from '../../../protocol/entities'
import { documentTotals } from '../../../protocol/money'
import type {
  AppointmentsTable,
  AttachmentFilesTable,
  AttachmentsTable,
  CustomersTable,
  EstimatesTable,
  InvoicesTable,
  JobFormsTable,
  JobsTable,
  LabelsTable,
  PaymentsTable,
  SignaturesTable,
} from '../schema'
import { WORK } from './catalog'
import { makePdf } from './pdf'
import { dataUrl, photoPng, SCENE_COUNT, signaturePng, thumbnailPng } from './pictures'
import type { Random } from './random'

type Row<T> = Omit<T, 'rev'>

export const LABELS: ReadonlyArray<{ name: string; color: string }> = [
  { name: 'Warranty', color: '#2e7d32' },
  { name: 'Needs part', color: '#ef6c00' },
  { name: 'Follow-up', color: '#1565c0' },
  { name: 'Urgent', color: '#c62828' },
  { name: 'VIP', color: '#6a1b9a' },
  { name: 'Permit', color: '#00838f' },
  { name: 'Callback', color: '#ad1457' },
  { name: 'Estimate pending', color: '#f9a825' },
]

type Trade = 'plumbing' | 'electrical' | 'hvac'

/** WORK lists 5 plumbing, then 5 electrical, then 5 HVAC items. */
function tradeOf(title: string): Trade {
  const i = WORK.findIndex((w) => w.title === title)
  return i < 5 ? 'plumbing' : i < 10 ? 'electrical' : 'hvac'
}

const CONDITION = ['Good', 'Fair', 'Poor']

/** One form template per trade, with fields of all four types. Field ids are fixed per template. */
const FORM_TEMPLATES: Record<Trade, { name: string; fields: FormField[] }> = {
  plumbing: {
    name: 'Plumbing checklist',
    fields: [
      {
        id: '0c7f1a52-1b8e-4a61-9f0e-5d1b2c3a4b01',
        label: 'Water pressure (psi)',
        type: 'number',
        required: true,
      },
      { id: '0c7f1a52-1b8e-4a61-9f0e-5d1b2c3a4b02', label: 'Shut-off valve works', type: 'yesno' },
      {
        id: '0c7f1a52-1b8e-4a61-9f0e-5d1b2c3a4b03',
        label: 'Condition',
        type: 'choice',
        options: CONDITION,
      },
      {
        id: '0c7f1a52-1b8e-4a61-9f0e-5d1b2c3a4b04',
        label: 'Leak test passed',
        type: 'yesno',
        required: true,
      },
      { id: '0c7f1a52-1b8e-4a61-9f0e-5d1b2c3a4b05', label: 'Technician comments', type: 'text' },
    ],
  },
  electrical: {
    name: 'Electrical safety checklist',
    fields: [
      {
        id: '1d8e2b63-2c9f-4b72-8a1f-6e2c3d4b5c01',
        label: 'Service size (A)',
        type: 'number',
        required: true,
      },
      {
        id: '1d8e2b63-2c9f-4b72-8a1f-6e2c3d4b5c02',
        label: 'GFCI protection present',
        type: 'yesno',
      },
      {
        id: '1d8e2b63-2c9f-4b72-8a1f-6e2c3d4b5c03',
        label: 'Panel condition',
        type: 'choice',
        options: CONDITION,
      },
      {
        id: '1d8e2b63-2c9f-4b72-8a1f-6e2c3d4b5c04',
        label: 'Grounding verified',
        type: 'yesno',
        required: true,
      },
      { id: '1d8e2b63-2c9f-4b72-8a1f-6e2c3d4b5c05', label: 'Technician comments', type: 'text' },
    ],
  },
  hvac: {
    name: 'HVAC service checklist',
    fields: [
      {
        id: '2e9f3c74-3d0a-4c83-9b2a-7f3d4e5c6d01',
        label: 'Refrigerant pressure (psi)',
        type: 'number',
        required: true,
      },
      { id: '2e9f3c74-3d0a-4c83-9b2a-7f3d4e5c6d02', label: 'Filter replaced', type: 'yesno' },
      {
        id: '2e9f3c74-3d0a-4c83-9b2a-7f3d4e5c6d03',
        label: 'Condition',
        type: 'choice',
        options: CONDITION,
      },
      {
        id: '2e9f3c74-3d0a-4c83-9b2a-7f3d4e5c6d04',
        label: 'Supply air temperature (°F)',
        type: 'number',
      },
      { id: '2e9f3c74-3d0a-4c83-9b2a-7f3d4e5c6d05', label: 'Technician comments', type: 'text' },
    ],
  },
}

const LINES: Record<Trade, ReadonlyArray<{ description: string; cents: [number, number] }>> = {
  plumbing: [
    { description: 'Faucet cartridge', cents: [1800, 4500] },
    { description: 'Braided supply line', cents: [900, 1800] },
    { description: '50 gal gas water heater', cents: [89_000, 129_000] },
    { description: 'Sump pump with battery backup', cents: [42_000, 68_000] },
    { description: 'Drain cleaning (main line)', cents: [18_500, 29_500] },
    { description: 'Toilet fill valve and flapper', cents: [2400, 4200] },
  ],
  electrical: [
    { description: 'GFCI receptacle', cents: [2200, 3800] },
    { description: '20 A breaker', cents: [1500, 4500] },
    { description: '200 A panel upgrade', cents: [185_000, 290_000] },
    { description: 'Ceiling fan brace box', cents: [2800, 4800] },
    { description: 'Service connection inspection', cents: [12_000, 18_000] },
  ],
  hvac: [
    { description: 'Pleated air filter 16x25x1', cents: [1200, 2600] },
    { description: 'Refrigerant R-410A (per lb)', cents: [6500, 9500] },
    { description: 'Capacitor 45/5 µF', cents: [3500, 7500] },
    { description: 'Programmable thermostat', cents: [9500, 18_500] },
    { description: 'Condenser fan motor', cents: [22_000, 38_000] },
  ],
}

const LABOR_CENTS = 11_500 // per hour
const SIGNERS_SUFFIX = ['', '', ' (tenant)', ' (property manager)']

export interface SeedFile {
  id: string
  bytes: Buffer
}

export interface Details {
  labels: Omit<Row<LabelsTable>, 'created_by' | 'created_at'>[]
  forms: Row<JobFormsTable>[]
  attachmentFiles: AttachmentFilesTable[]
  attachments: Row<AttachmentsTable>[]
  estimates: Row<EstimatesTable>[]
  invoices: Row<InvoicesTable>[]
  payments: Row<PaymentsTable>[]
  signatures: Row<SignaturesTable>[]
  files: SeedFile[]
  /** The job of Alex's first appointment on the seed day, which gets one of everything. */
  richJobId: string | null
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

/**
 * Everything a job carries besides notes. Deterministic (own PRNG, jobs in schedule order).
 * Sets `label_ids` on the jobs it labels. With `withFiles` false no attachments are made (a seed
 * without a blob store must not point at files that do not exist).
 *
 * The "rich" job: the job of alex@fieldline.test's FIRST appointment on the seed day (today by
 * default) always gets 2 photos, a PDF, an estimate (signed), an invoice made from it with a
 * partial cash payment, the labels Urgent and VIP, and a half-answered form. The e2e tests open
 * it by taking Alex's earliest appointment starting today.
 */
export function makeDetails(
  random: Random,
  day: Date,
  jobs: Row<JobsTable>[],
  appointments: Row<AppointmentsTable>[],
  customers: Row<CustomersTable>[],
  alexId: string,
  withFiles: boolean,
): Details {
  const out: Details = {
    labels: LABELS.map((l) => ({ id: random.uuid(), name: l.name, color: l.color })),
    forms: [],
    attachmentFiles: [],
    attachments: [],
    estimates: [],
    invoices: [],
    payments: [],
    signatures: [],
    files: [],
    richJobId: null,
  }
  const labelId = (name: string) => out.labels.find((l) => l.name === name)?.id as string
  const customerById = new Map(customers.map((c) => [c.id, c]))
  const firstVisit = new Map<string, Row<AppointmentsTable>>()
  for (const a of appointments) {
    const seen = firstVisit.get(a.job_id)
    if (!seen || a.starts_at < seen.starts_at) firstVisit.set(a.job_id, a)
  }
  const dayStart = day.toISOString()
  const dayEnd = new Date(day.getTime() + 86_400_000).toISOString()
  const richJobId =
    appointments
      .filter((a) => a.starts_at >= dayStart && a.starts_at < dayEnd)
      .filter((a) => jobs.find((j) => j.id === a.job_id)?.technician_id === alexId)
      .sort((a, b) => a.starts_at.localeCompare(b.starts_at))[0]?.job_id ?? null
  out.richJobId = richJobId

  // A few distinct pictures, rendered once and shared by many attachments.
  const photos = withFiles ? Array.from({ length: SCENE_COUNT }, (_, i) => photoPng(i)) : []
  const thumbs = withFiles
    ? Array.from({ length: SCENE_COUNT }, (_, i) => dataUrl(thumbnailPng(i)))
    : []
  const photoHashes = photos.map(sha256)
  const signatures = Array.from({ length: 4 }, (_, i) => dataUrl(signaturePng(i)))

  for (const job of jobs) {
    const rich = job.id === richJobId
    const trade = tradeOf(job.title)
    const visit = firstVisit.get(job.id)
    const visitAt = Date.parse(visit?.starts_at ?? job.updated_at)
    const completed = job.status === 'completed'
    const customer = customerById.get(job.customer_id)
    const at = (minutes: number) => new Date(visitAt + minutes * 60_000).toISOString()

    // Labels.
    if (rich) {
      job.label_ids = JSON.stringify([labelId('Urgent'), labelId('VIP')])
    } else if (random.chance(0.3)) {
      const picked = new Set([random.pick(out.labels).id])
      if (random.chance(0.3)) picked.add(random.pick(out.labels).id)
      job.label_ids = JSON.stringify([...picked])
    }

    // The form: answered on most completed jobs, half-answered on the rich one.
    if (rich || random.chance(0.85)) {
      const template = FORM_TEMPLATES[trade]
      const answers: Record<string, FormAnswer> = {}
      const answered = completed && random.chance(0.7)
      template.fields.forEach((field, i) => {
        if (!answered && !(rich && i < 2)) return
        answers[field.id] = sampleAnswer(random, field)
      })
      out.forms.push({
        id: random.uuid(),
        job_id: job.id,
        name: template.name,
        fields: JSON.stringify(template.fields),
        updated_at: null,
        answers: JSON.stringify(answers),
        version: 1,
      })
    }

    // Photos and PDFs.
    if (withFiles) {
      // Photos on about 1 job in 6 and PDFs on 1 in 10: enough to show every case, little enough
      // that a first pre-load (and every e2e test) is not mostly photo downloads.
      const photoCount = rich ? 2 : random.chance(0.16) ? random.int(1, 2) : 0
      for (let n = 0; n < photoCount; n++) {
        const variant = random.int(0, SCENE_COUNT - 1)
        const bytes = photos[variant] as Buffer
        addFile(out, job, {
          kind: 'photo',
          filename: `IMG_${job.number}_${n + 1}.png`,
          mime: 'image/png',
          bytes,
          hash: photoHashes[variant] as string,
          thumbnail: thumbs[variant] as string,
          takenAt: at(10 + n * 7),
        })
      }
      if (rich || random.chance(0.1)) {
        const bytes = makePdf([
          { text: `Work order #${job.number}`, size: 24 },
          { text: job.title, size: 14 },
          { text: `Customer: ${customer?.name ?? ''}`, size: 12 },
          { text: `Address: ${job.address}`, size: 12 },
          {
            text: `Scheduled: ${new Date(visitAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
            size: 12,
          },
          { text: job.description.slice(0, 90), size: 10 },
        ])
        addFile(out, job, {
          kind: 'pdf',
          filename: `work-order-${job.number}.pdf`,
          mime: 'application/pdf',
          bytes,
          hash: sha256(bytes),
          thumbnail: null,
          takenAt: at(-60 * 24),
        })
      }
    }

    // Estimate.
    let estimate: Row<EstimatesTable> | null = null
    if (rich || random.chance(0.4)) {
      estimate = {
        id: random.uuid(),
        job_id: job.id,
        number: `E-${job.number}-1`,
        status: rich
          ? 'approved'
          : completed
            ? random.pick(['approved', 'approved', 'declined'] as const)
            : random.pick(['draft', 'sent'] as const),
        line_items: JSON.stringify(makeLines(random, trade)),
        tax_rate_bps: random.pick([0, 600, 725, 825, 900]),
        created_at: at(-60 * 24 * 2),
        updated_at: at(-60 * 24 * 2),
        version: 1,
      }
      out.estimates.push(estimate)
    }

    // Invoice and payments on completed jobs (and the rich one).
    let invoice: Row<InvoicesTable> | null = null
    if (rich || (completed && random.chance(0.6))) {
      const fromEstimate = estimate && estimate.status === 'approved' ? estimate : null
      const lineItems = fromEstimate
        ? (JSON.parse(fromEstimate.line_items) as LineItem[])
        : makeLines(random, trade)
      const taxRateBps = fromEstimate ? fromEstimate.tax_rate_bps : random.pick([0, 725, 825])
      const total = documentTotals({ lineItems, taxRateBps }).totalCents
      const plan = rich ? 'partial' : random.pick(['full', 'full', 'partial', 'none'] as const)
      const paid = plan === 'full' ? total : plan === 'partial' ? Math.round(total * 0.4) : 0
      invoice = {
        id: random.uuid(),
        job_id: job.id,
        number: `I-${job.number}-1`,
        status: paid === total ? 'paid' : 'sent',
        line_items: JSON.stringify(lineItems.map((l) => ({ ...l, id: random.uuid() }))),
        tax_rate_bps: taxRateBps,
        estimate_id: fromEstimate?.id ?? null,
        created_at: at(90),
        updated_at: at(90),
        version: 1,
      }
      out.invoices.push(invoice)
      if (paid > 0) {
        const method = rich ? 'cash' : random.pick(['cash', 'check', 'check'] as const)
        out.payments.push({
          id: random.uuid(),
          invoice_id: invoice.id,
          job_id: job.id,
          method,
          amount_cents: paid,
          reference: method === 'check' ? String(random.int(1001, 9899)) : null,
          received_at: at(100),
          created_at: at(100),
        })
      }
    }

    // Signatures: the rich job's estimate, and now and then a completed job's invoice.
    const signed = rich ? estimate : invoice && random.chance(0.12) ? invoice : null
    if (signed) {
      const name = customer?.name ?? 'Customer'
      out.signatures.push({
        id: random.uuid(),
        job_id: job.id,
        subject_type: signed === estimate ? 'estimate' : 'invoice',
        subject_id: signed.id,
        signer_name: `${name}${random.pick(SIGNERS_SUFFIX)}`,
        signed_at: at(95),
        image: random.pick(signatures),
      })
    }
  }

  function addFile(
    details: Details,
    job: Row<JobsTable>,
    file: {
      kind: 'photo' | 'pdf'
      filename: string
      mime: string
      bytes: Buffer
      hash: string
      thumbnail: string | null
      takenAt: string
    },
  ) {
    const id = random.uuid()
    details.files.push({ id, bytes: file.bytes })
    details.attachmentFiles.push({
      id,
      sha256: file.hash,
      size: file.bytes.length,
      mime_type: file.mime,
      uploaded_by: job.technician_id,
      created_at: file.takenAt,
    })
    details.attachments.push({
      id,
      job_id: job.id,
      kind: file.kind,
      filename: file.filename,
      mime_type: file.mime,
      size: file.bytes.length,
      sha256: file.hash,
      taken_at: file.takenAt,
      thumbnail: file.thumbnail,
      created_at: file.takenAt,
      uploaded_by: job.technician_id,
    })
  }

  return out
}

function makeLines(random: Random, trade: Trade): LineItem[] {
  const count = random.int(1, 4)
  const lines: LineItem[] = [
    {
      id: random.uuid(),
      description: 'Labor (hours)',
      quantity: random.pick([1, 1.5, 2, 2.5, 3.25]),
      unitPriceCents: LABOR_CENTS,
    },
  ]
  for (let i = 1; i < count; i++) {
    const part = random.pick(LINES[trade])
    lines.push({
      id: random.uuid(),
      description: part.description,
      quantity: random.int(1, 3),
      unitPriceCents: random.int(part.cents[0] / 100, part.cents[1] / 100) * 100 - 1,
    })
  }
  return lines
}

function sampleAnswer(random: Random, field: FormField): FormAnswer {
  switch (field.type) {
    case 'number':
      return random.int(40, 140)
    case 'yesno':
      return random.chance(0.8)
    case 'choice':
      return random.pick(field.options ?? [''])
    case 'text':
      return random.pick([
        'All good, no issues found.',
        'Recommended replacement within a year.',
        'Customer asked for a quote on a maintenance plan.',
        'Minor corrosion noted; monitor.',
      ])
  }
}
