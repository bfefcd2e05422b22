'use client';

import type { MemberRowData } from '@/lib/rows';
import type { Member } from '@/lib/types';
import { MemberRow } from './MemberRow';

export interface MemberChange {
  member: Member;
  revision: number | null;
  summary: string;
}

export function MemberTable({ rows, balancerId, onChanged }: { rows: MemberRowData[]; balancerId: string; onChanged: (change: MemberChange) => void }) {
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
            <th>Actions</th>
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
