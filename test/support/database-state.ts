import type { Client } from 'pg';

/** Tables of the configuration and of its history. */
const TABLES = ['Revision', 'AuditEvent', 'Balancer', 'Member', 'Route'] as const;

/**
 * Columns that record what agents observe, not configuration: the stats service stamps a draining
 * member's `drainedAt` (and so its `updatedAt`) when the fleet's tunnels on it reach zero,
 * whenever that happens, so they are left out of the digest.
 */
const OBSERVED: Partial<Record<(typeof TABLES)[number], readonly string[]>> = { Member: ['drainedAt', 'updatedAt'] };

/**
 * Row count and a digest of every row (each configuration column, timestamps included) of the
 * configuration tables, read straight from Postgres: equal before and after a request means it
 * wrote nothing.
 */
export async function databaseState(db: Client): Promise<Record<(typeof TABLES)[number], { rows: number; digest: string | null }>> {
  const state = {} as Record<(typeof TABLES)[number], { rows: number; digest: string | null }>;
  for (const table of TABLES) {
    const key = table === 'Revision' ? 'number' : 'id';
    const row = ['row_to_json(t)::jsonb', ...(OBSERVED[table] ?? []).map((column) => `'${column}'`)].join(' - ');
    const { rows } = await db.query<{ rows: string; digest: string | null }>(`SELECT count(*) AS rows, md5(string_agg((${row})::text, ',' ORDER BY t."${key}")) AS digest FROM "${table}" t`);
    state[table] = { rows: Number(rows[0].rows), digest: rows[0].digest };
  }
  return state;
}

/** Collects the revision numbers announced on `switchboard_revision` (the NOTIFY of every write) from now on. */
export async function revisionNotifications(db: Client): Promise<number[]> {
  const heard: number[] = [];
  db.on('notification', (message) => {
    if (message.channel === 'switchboard_revision') heard.push(Number(message.payload));
  });
  await db.query('LISTEN switchboard_revision');
  return heard;
}
