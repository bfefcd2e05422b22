'use client';

import { usePermissions } from '@/hooks/usePermissions';
import type { MemberRowData } from '@/lib/rows';
import type { Member } from '@switchboard/api-client';
import { MemberRow } from './MemberRow';

/** A write to a member, as the page's note shows it; `removed` when the member is gone. */
export interface MemberChange {
  member: Member;
  revision: number | null;
  summary: string;
  removed?: boolean;
}

export function MemberTable({ rows, balancerId, onChanged }: { rows: MemberRowData[]; balancerId: string; onChanged: (change: MemberChange) => void }) {
  const { operate } = usePermissions();
  if (rows.length === 0) return <p className="muted">This balancer has no members.</p>;
  return (
    <div className="table-wrap">
      <table className="grid members">
        <thead>
          <tr>
            <th>Member</th>
            <th>State</th>
            <th>Health</th>
            <th className="num">Weight</th>
            <th className="num" title="Tier: higher lbsets are used only when no member of a lower one is usable">
              lbset
            </th>
            <th className="num" title="WebSocket tunnels open now">
              Tunnels
            </th>
            <th className="num" title="HTTP requests in flight">
              In-flight
            </th>
            <th className="num" title="Times chosen by the balancer">
              Elected
            </th>
            <th className="num" title="Bytes sent to the member">
              To
            </th>
            <th className="num" title="Bytes received from the member">
              From
            </th>
            <th className="num">Failures</th>
            {operate && <th>Actions</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <MemberRow key={row.member.id} row={row} balancerId={balancerId} onChanged={onChanged} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
