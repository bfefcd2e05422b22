import { z } from 'zod';

/** A point in time on the wire: ISO 8601 UTC, as `Date.toJSON()` writes it (`2026-12-01T10:00:00.000Z`). */
export const isoTime = z.iso.datetime();

/** The id of a balancer, member, route, token or agent: an opaque string (a UUID today). */
export const entityId = z.string().min(1);

/** A revision number: 0 is the empty configuration every database starts with. */
export const revisionNumber = z.number().int().min(0);

/** Header carrying the revision a configuration write made (../shared/API.md). */
export const REVISION_HEADER = 'Switchboard-Revision';
