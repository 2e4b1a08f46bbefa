// @ts-check
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { pngDataUrl } from '../fleet/png.mjs'

/**
 * The pre-load data set's other kinds, beside the jobs (see dataset.mjs): labels, job forms
 * with answers, photo and PDF records with thumbnails, estimates and invoices with line items,
 * payments and signatures. Proportions are a busy technician's month: a form on every other
 * job, a photo on every job and a PDF on a few, an estimate on 2 in 5, an invoice on half,
 * a payment on 7 in 10 invoices, a signature on half the jobs.
 *
 * Thumbnails and signatures are stored PNGs (no compression) of realistic weight: a 32×24
 * thumbnail is ~2.4 KB as a data URL, a 40×16 signature ~2.6 KB.
 *
 * @typedef {import('./dataset.mjs').GenContext} GenContext
 * @typedef {import('./dataset.mjs').Generator} Generator
 */

const THUMB = pngDataUrl(32, 24, 7)
/**
 * The full file behind every photo and PDF record: 8 KB (a real photo is ~180 KB: this keeps
 * the device's file download, which follows the pre-load and is not part of its figure, short
 * on a loaded machine). Without files the device would ask for each one again at every refresh.
 */
export const FILE_BYTES = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
  randomBytes(8 * 1024 - 4),
])
const FILE_SHA256 = createHash('sha256').update(FILE_BYTES).digest('hex')
const SIGNATURE = pngDataUrl(40, 16, 11)
const PARTS = ['Labour (hours)', 'Filter', 'Gasket set', 'Thermostat', 'Call-out fee', 'Valve']

/** @param {GenContext} ctx */
const jobsOf = (ctx) => /** @type {Array<Record<string, any>>} */ (ctx.out.jobs ?? [])
/** @param {GenContext} ctx @param {number} minutesAgo */
const at = (ctx, minutesAgo) => new Date(ctx.now.getTime() - minutesAgo * 60_000).toISOString()

/** @type {Generator} */
function labels(ctx) {
  const names = ['Warranty', 'Urgent', 'VIP', 'Estimate pending', 'Callback', 'Parts on order']
  const rows = names.map((name, i) => ({
    id: randomUUID(),
    name: `Bench ${name}`,
    color: ['#2563eb', '#dc2626', '#7c3aed', '#d97706', '#059669', '#475569'][i],
    rev: ctx.rev,
  }))
  return { table: 'labels', rows }
}

const FORM_FIELDS = [
  { id: 'f0a1b2c3-0000-4000-8000-000000000001', label: 'Serial number', type: 'text' },
  { id: 'f0a1b2c3-0000-4000-8000-000000000002', label: 'Pressure (bar)', type: 'number' },
  { id: 'f0a1b2c3-0000-4000-8000-000000000003', label: 'Leak found', type: 'yesno' },
  {
    id: 'f0a1b2c3-0000-4000-8000-000000000004',
    label: 'Condition',
    type: 'choice',
    options: ['Good', 'Worn', 'Replace'],
  },
]

/** One form per job (the table allows one), on every other job; past jobs answered. @type {Generator} */
function jobForms(ctx) {
  const rows = jobsOf(ctx)
    .filter((_, i) => i % 2 === 0)
    .map((job, i) => ({
      id: randomUUID(),
      job_id: job.id,
      name: 'Inspection checklist',
      fields: JSON.stringify(FORM_FIELDS),
      answers: JSON.stringify(
        i % 3 === 2
          ? {}
          : {
              [FORM_FIELDS[0]?.id ?? '']: `SN-${100000 + i}`,
              [FORM_FIELDS[1]?.id ?? '']: 1.5 + (i % 10) / 10,
              [FORM_FIELDS[2]?.id ?? '']: i % 7 === 0,
              [FORM_FIELDS[3]?.id ?? '']: ['Good', 'Worn', 'Replace'][i % 3] ?? null,
            },
      ),
      version: 1,
      rev: ctx.rev,
      updated_at: at(ctx, i),
    }))
  return { table: 'job_forms', rows }
}

/** A photo record (with a thumbnail) on every job, and a PDF on every tenth. @type {Generator} */
function attachments(ctx) {
  const rows = jobsOf(ctx).flatMap((job, i) => {
    const photo = {
      id: randomUUID(),
      job_id: job.id,
      kind: 'photo',
      filename: `photo-${i}.jpg`,
      mime_type: 'image/jpeg',
      size: FILE_BYTES.length,
      sha256: FILE_SHA256,
      taken_at: at(ctx, 30 + i * 40),
      thumbnail: THUMB,
      created_at: at(ctx, 30 + i * 40),
      uploaded_by: job.technician_id,
      rev: ctx.rev,
    }
    if (i % 10 !== 3) return [photo]
    const pdf = {
      ...photo,
      id: randomUUID(),
      kind: 'pdf',
      filename: `manual-${i}.pdf`,
      mime_type: 'application/pdf',
      thumbnail: null,
    }
    return [photo, pdf]
  })
  return { table: 'attachments', rows }
}

/** 2–5 line items, each with its own id. @param {number} i */
function lineItems(i) {
  return JSON.stringify(
    Array.from({ length: 2 + (i % 4) }, (_, k) => ({
      id: randomUUID(),
      description: PARTS[(i + k) % PARTS.length],
      quantity: 1 + ((i + k) % 3),
      unitPriceCents: 2500 + ((i * 7 + k * 13) % 40) * 250,
    })),
  )
}

/** @type {Generator} */
function estimates(ctx) {
  const rows = jobsOf(ctx)
    .filter((_, i) => i % 5 < 2)
    .map((job, i) => ({
      id: randomUUID(),
      job_id: job.id,
      number: `BE-${job.number}`,
      status: ['draft', 'sent', 'approved', 'declined'][i % 4],
      line_items: lineItems(i),
      tax_rate_bps: 825,
      created_at: at(ctx, 60 + i * 50),
      version: 1,
      rev: ctx.rev,
      updated_at: at(ctx, 60 + i * 50),
    }))
  return { table: 'estimates', rows }
}

/** Half the jobs are invoiced; an approved estimate is the invoice's source. @type {Generator} */
function invoices(ctx) {
  const byJob = new Map((ctx.out.estimates ?? []).map((e) => [e.job_id, e]))
  const rows = jobsOf(ctx)
    .filter((_, i) => i % 2 === 1)
    .map((job, i) => {
      const estimate = byJob.get(job.id)
      return {
        id: randomUUID(),
        job_id: job.id,
        number: `BI-${job.number}`,
        status: i % 10 < 7 ? 'paid' : 'sent',
        line_items: estimate?.line_items ?? lineItems(i + 1),
        tax_rate_bps: 825,
        estimate_id: estimate?.status === 'approved' ? estimate.id : null,
        created_at: at(ctx, 45 + i * 80),
        version: 1,
        rev: ctx.rev,
        updated_at: at(ctx, 45 + i * 80),
      }
    })
  return { table: 'invoices', rows }
}

/** @type {Generator} */
function payments(ctx) {
  const rows = (ctx.out.invoices ?? [])
    .filter((inv) => inv.status === 'paid')
    .map((inv, i) => ({
      id: randomUUID(),
      invoice_id: inv.id,
      job_id: inv.job_id,
      method: ['cash', 'check', 'other'][i % 3],
      amount_cents: 10_000 + (i % 50) * 1_000,
      reference: i % 3 === 1 ? `CHK-${2000 + i}` : null,
      received_at: at(ctx, 40 + i * 80),
      created_at: at(ctx, 40 + i * 80),
      rev: ctx.rev,
    }))
  return { table: 'payments', rows }
}

/** The customer signs off half the jobs, and a few estimates. @type {Generator} */
function signatures(ctx) {
  const jobRows = jobsOf(ctx)
    .filter((_, i) => i % 2 === 0)
    .map((job, i) => ({
      id: randomUUID(),
      job_id: job.id,
      subject_type: 'job',
      subject_id: job.id,
      signer_name: `Customer ${i}`,
      signed_at: at(ctx, 35 + i * 60),
      image: SIGNATURE,
      rev: ctx.rev,
    }))
  const estimateRows = (ctx.out.estimates ?? [])
    .filter((e) => e.status === 'approved')
    .map((e, i) => ({
      id: randomUUID(),
      job_id: e.job_id,
      subject_type: 'estimate',
      subject_id: e.id,
      signer_name: `Customer E${i}`,
      signed_at: at(ctx, 55 + i * 60),
      image: SIGNATURE,
      rev: ctx.rev,
    }))
  return { table: 'signatures', rows: [...jobRows, ...estimateRows] }
}

/** Labels first (jobs pick theirs); the rest after jobs, in dependency order. */
export const DOCUMENT_GENERATORS = [
  labels,
  jobForms,
  attachments,
  estimates,
  invoices,
  payments,
  signatures,
]
