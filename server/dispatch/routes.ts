import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context'
import { registerDispatchAppointmentRoutes } from './appointments'
import { registerDispatchDocumentRoutes } from './documents'
import { registerDispatchFormRoutes } from './forms'
import { registerDispatchJobDetailRoute } from './jobDetail'
import { registerDispatchJobRoutes } from './jobs'

/**
 * The office's API. Every route checks the dispatcher role itself (technicians get 403). What a
 * route writes is validated as the technician's action that writes the same rows is: the same
 * schemas (protocol/mutations.ts) and the same rules that need the stored row (server/rules/).
 */
export function registerDispatchRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerDispatchJobRoutes(app, ctx)
  registerDispatchJobDetailRoute(app, ctx)
  registerDispatchAppointmentRoutes(app, ctx)
  registerDispatchDocumentRoutes(app, ctx)
  registerDispatchFormRoutes(app, ctx)
}
