'use client';

import { useMemo, useState } from 'react';
import { useRoutesData } from '@/hooks/useRoutesData';
import { checkDraft, DRAFT_ROUTE_ID, draftOf, newRouteDraft, type RouteDraft } from '@/lib/route-form';
import { inMatchOrder, runTester, verdictsById, type TesterInput } from '@/lib/route-tester';
import { useMe } from './ConsoleShell';
import { RouteEditor } from './RouteEditor';
import { RouteTable } from './RouteTable';
import { RouteTester } from './RouteTester';

/** An open editor: the route it edits (null: a new one), its fields as saved (null: new) and as typed. */
interface Editor {
  routeId: string | null;
  saved: RouteDraft | null;
  draft: RouteDraft;
}

/**
 * The Routes page: the routes in the order agents try them, an editor for admins (create, edit,
 * delete through /api/v1/routes, each previewed as a dry run before it is saved), and the "which route matches this URL?" tester, which runs the
 * agents' matcher on the latest revision and on the draft being edited.
 */
export function RoutesView() {
  const canEdit = useMe()?.role === 'admin';
  const { data, error, reload } = useRoutesData();
  const [editor, setEditor] = useState<Editor | null>(null);
  const [input, setInput] = useState<TesterInput>({ url: '', host: '', upgrade: false });
  const [note, setNote] = useState<string | null>(null);

  const config = data?.revision.config;
  const checked = useMemo(() => (editor ? checkDraft(editor.draft, editor.routeId ?? DRAFT_ROUTE_ID) : null), [editor]);
  const answers = useMemo(() => (config ? runTester(config, input, checked) : null), [config, input, checked]);
  const rows = useMemo(() => (data ? inMatchOrder(data.routes, data.revision.config) : []), [data]);
  const names = useMemo(() => new Map((data?.balancers ?? []).map((b) => [b.id, b.name])), [data]);

  function saved(summary: string, revision: number | null) {
    setEditor(null);
    setNote(revision === null ? summary : `${summary} — configuration revision ${revision}`);
    void reload(revision);
  }

  if (error && !data) {
    return (
      <p className="error" role="alert">
        {error}
      </p>
    );
  }
  return (
    <div>
      <div className="section-head">
        <h1>Routes</h1>
        {canEdit && data && (
          <button type="button" className="primary" data-testid="route-new" disabled={editor !== null || data.balancers.length === 0} onClick={() => setEditor({ routeId: null, saved: null, draft: newRouteDraft(data.balancers[0]?.id ?? '') })}>
            New route
          </button>
        )}
      </div>
      <p className="muted">Agents try routes in this order: higher priority first, then the longer path (a regex by its length), exact before prefix before regex, a named host before a wildcard before any host, then the older route.</p>
      {error && <p className="error" role="alert">{error}</p>}
      {note && (
        <p className="note" role="status" data-testid="route-note">
          {note}
        </p>
      )}
      {data && editor && (
        <RouteEditor routeId={editor.routeId} saved={editor.saved} draft={editor.draft} onDraft={(draft) => setEditor({ ...editor, draft })} balancers={data.balancers} onSaved={saved} onCancel={() => setEditor(null)} />
      )}
      {!data && <p className="muted">Loading…</p>}
      {data && (
        <RouteTable
          routes={rows}
          balancerName={(id) => names.get(id) ?? id}
          verdicts={verdictsById(answers?.saved ?? null)}
          canEdit={canEdit}
          busy={editor !== null}
          onEdit={(route) => setEditor({ routeId: route.id, saved: draftOf(route), draft: draftOf(route) })}
          onDeleted={saved}
        />
      )}
      {data && answers && <RouteTester input={input} onInput={setInput} answers={answers} revision={data.revision.number} draftLabel={editor ? (editor.routeId === null ? 'new route' : 'route being edited') : null} />}
    </div>
  );
}
