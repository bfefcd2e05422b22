import Link from 'next/link';
import type { Balancer } from '@switchboard/api-client';

export interface BalancerSummary {
  balancer: Balancer;
  memberCount: number | null;
}

export function BalancerList({ balancers, tunnels }: { balancers: BalancerSummary[]; tunnels: Map<string, number> }) {
  if (balancers.length === 0) return <p className="muted">No balancers yet.</p>;
  return (
    <table className="grid">
      <thead>
        <tr>
          <th>Name</th>
          <th>Method</th>
          <th className="num">Members</th>
          <th className="num">Open tunnels</th>
        </tr>
      </thead>
      <tbody>
        {balancers.map(({ balancer, memberCount }) => (
          <tr key={balancer.id} data-testid="balancer-row" data-balancer-id={balancer.id}>
            <td>
              <Link href={`/balancers/${encodeURIComponent(balancer.id)}`}>{balancer.name}</Link>
            </td>
            <td>
              <code>{balancer.lbMethod}</code>
            </td>
            <td className="num" data-testid="member-count">
              {memberCount ?? '–'}
            </td>
            <td className="num">{tunnels.get(balancer.id) ?? 0}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
