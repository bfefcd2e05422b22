import { z } from 'zod';

/** GET /healthz: the process answers. */
export const liveness = z.object({ status: z.literal('ok') }).meta({ id: 'Liveness', description: 'The control plane process answers' });

/** GET /readyz: Postgres answers too. */
export const readiness = z.object({ status: z.literal('ready') }).meta({ id: 'Readiness', description: 'The control plane and its Postgres answer' });
