'use client';

import type { Route } from '@switchboard/api-client';
import Link from 'next/link';
import { useState } from 'react';
import type { RouteVerdict } from '@switchboard/protocol';
import type { Written } from '@/hooks/useConfigWrite';
import { answer, client, writeParams } from '@/lib/api';
import { matchText, verdictText } from '@/lib/route-tester';
import { ConfirmWrite } from './ConfirmWrite';

/** Columns of a route row besides the tester's verdict and the actions. */
const ROUTE_COLUMNS = 7;

interface Props {
  /** In the order agents try them. */
  routes: readonly Route[];
  balancerName: (id: string) => string;
  /** The tester's verdict per route id (empty while nothing is tested). */
  verdicts: ReadonlyMap<string, RouteVerdict>;
  /** Admins: Edit and Delete are offered (and disabled while `busy`, e.g. an editor is open). */
  canEdit: boolean;
  busy: boolean;
  onEdit: (route: Route) => void;
  onDeleted: (summary: string, revision: number | null) => void;
}

/**
 * The routes, one row each, the one the tester's URL reaches highlighted, and each row's verdict;
 * for admins Edit and Delete…, which opens a confirmation below the row with a dry-run preview.
 */
export function RouteTable({ routes, balancerName, verdicts, canEdit, busy, onEdit, onDeleted }: Props) {
  if (routes.length === 0) return <p className="muted">No routes yet: agents answer every request with 404.</p>;
  const testing = verdicts.size > 0;
  return (
    <div className="table-wrap">
      <table className="grid routes">
        <thead>
          <tr>
            <th className="num">Priority</th>
            <th>Host</th>
            <th>Match</th>
            <th>WebSocket</th>
            <th>Strip prefix</th>
            <th>Enabled</th>
            <th>Balancer</th>
            {testing && <th>Tester</th>}
            {canEdit && <th />}
          </tr>
        </thead>
        <tbody>
          {routes.map((route) => (
            <RouteRow key={route.id} route={route} balancerName={balancerName(route.balancerId)} verdict={verdicts.get(route.id)} testing={testing} canEdit={canEdit} busy={busy} onEdit={onEdit} onDeleted={onDeleted} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

type RowProps = Omit<Props, 'routes' | 'verdicts' | 'balancerName'> & { route: Route; balancerName: string; verdict: RouteVerdict | undefined; testing: boolean };

function RouteRow({ route, balancerName, verdict, testing, canEdit, busy, onEdit, onDeleted }: RowProps) {
  const [confirming, setConfirming] = useState(false);

  function deleted({ revision }: Written<unknown>) {
    setConfirming(false);
    onDeleted(`Route ${matchText(route)} deleted`, revision);
  }

  return (
    <>
      <tr data-testid="route-row" data-route-id={route.id} data-verdict={verdict} className={verdict === 'matched' ? 'route-matched' : undefined}>
        <td className="num">{route.priority}</td>
        <td>{route.host ?? <span className="muted">any</span>}</td>
        <td>
          <code data-testid="route-match">{matchText(route)}</code>
        </td>
        <td>{route.websocket}</td>
        <td>{route.stripPrefix ? 'yes' : 'no'}</td>
        <td>{route.enabled ? 'yes' : <span className="warn">no</span>}</td>
        <td>
          <Link href={`/balancers/${encodeURIComponent(route.balancerId)}`}>{balancerName}</Link>
        </td>
        {testing && <td data-testid="route-verdict">{verdict ? verdictText(route, verdict) : <span className="muted">not in the tested revision</span>}</td>}
        {canEdit && (
          <td className="actions">
            <div className="buttons">
              <button type="button" data-testid="route-edit" onClick={() => onEdit(route)} disabled={busy || confirming}>
                Edit
              </button>
              <button type="button" data-testid="route-delete" aria-expanded={confirming} onClick={() => setConfirming(true)} disabled={busy || confirming}>
                Delete…
              </button>
            </div>
          </td>
        )}
      </tr>
      {confirming && (
        <tr className="route-panel" data-testid="route-panel" data-route-id={route.id}>
          <td colSpan={ROUTE_COLUMNS + (testing ? 1 : 0) + 1}>
            <ConfirmWrite request={(mode) => answer(client.DELETE('/api/v1/routes/{id}', { params: { path: { id: route.id }, ...writeParams(mode) } }))} confirmLabel="Delete route" testId="route-delete" onDone={deleted} onCancel={() => setConfirming(false)}>
              <p>
                Delete route <code>{matchText(route)}</code> to <strong>{balancerName}</strong>? From the next revision agents send it no request: a later route takes them, or they get 404.
              </p>
            </ConfirmWrite>
          </td>
        </tr>
      )}
    </>
  );
}
