import type { Client } from 'pg';

/** Tables of the configuration and of its history. */
const TABLES = ['Revision', 'AuditEvent', 'Balancer', 'Member', 'Route'] as const;

/**
 * Row count and a digest of every row (each column, timestamps included) of the configuration
 * tables, read straight from Postgres: equal before and after a request means it wrote nothing.
 */
export async function databaseState(db: Client): Promise<Record<(typeof TABLES)[number], { rows: number; digest: string | null }>> {
  const state = {} as Record<(typeof TABLES)[number], { rows: number; digest: string | null }>;
  for (const table of TABLES) {
    const key = table === 'Revision' ? 'number' : 'id';
    const { rows } = await db.query<{ rows: string; digest: string | null }>(`SELECT count(*) AS rows, md5(string_agg(row_to_json(t)::text, ',' ORDER BY t."${key}")) AS digest FROM "${table}" t`);
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
