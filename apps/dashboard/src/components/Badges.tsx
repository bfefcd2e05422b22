import type { Health, MemberState } from '@switchboard/api-client';
import type { StreamStatus } from '@/lib/stats-stream';

export function StateBadge({ state }: { state: MemberState }) {
  return <span className={`badge state-${state}`}>{state}</span>;
}

export function HealthBadge({ health }: { health: Health | undefined }) {
  const h = health ?? 'unknown';
  return <span className={`badge health-${h}`}>{h}</span>;
}

const LIVE_LABEL: Record<StreamStatus, string> = { connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…' };

export function LiveIndicator({ status }: { status: StreamStatus }) {
  return (
    <span className={`live live-${status}`} data-testid="live-status" title="Live statistics feed">
      <span className="dot" aria-hidden="true" />
      {LIVE_LABEL[status]}
    </span>
  );
}
