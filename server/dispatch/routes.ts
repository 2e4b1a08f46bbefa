import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context'
import { registerDispatchAppointmentRoutes } from './appointments'
import { registerDispatchDocumentRoutes } from './documents'
import { registerDispatchJobRoutes } from './jobs'

/** The office's API. Every route checks the dispatcher role itself (technicians get 403). */
export function registerDispatchRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerDispatchJobRoutes(app, ctx)
  registerDispatchAppointmentRoutes(app, ctx)
  registerDispatchDocumentRoutes(app, ctx)
}
