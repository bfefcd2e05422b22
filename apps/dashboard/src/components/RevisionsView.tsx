'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { ConfigChange } from '@switchboard/api-client';
import { comparedPair, revisionsHref, type ComparedPair } from '@/lib/revisions';
import { useRevisionDiff } from '@/hooks/useRevisionDiff';
import { useRevisionList } from '@/hooks/useRevisionList';
import { CompareForm } from './CompareForm';
import { useMe } from './ConsoleShell';
import { RevisionDiff } from './RevisionDiff';
import { RevisionList } from './RevisionList';
import { RollbackDialog } from './RollbackDialog';

interface Props {
  /** `?rev=`: the revision shown; the latest when null. */
  rev: number | null;
  /** `?against=`: the revision it is compared with; its predecessor when null. */
  against: number | null;
}

/**
 * The revisions page: the history newest first, the diff of the selected revision against its
 * predecessor (or any other, `?against=`), and for admins a rollback to the selected revision.
 */
export function RevisionsView({ rev, against }: Props) {
  const router = useRouter();
  const isAdmin = useMe()?.role === 'admin';
  const list = useRevisionList();
  const [rollingBack, setRollingBack] = useState(false);
  const [rolledBack, setRolledBack] = useState<{ target: number; revision: number } | null>(null);
  const latest = list.revisions?.[0]?.number ?? null;
  const selected = rev ?? latest;
  const pair = selected === null ? null : comparedPair(selected, against);

  function onRolledBack(change: ConfigChange) {
    setRollingBack(false);
    setRolledBack({ target: selected!, revision: change.revision });
    void list.reload();
    router.push(revisionsHref(change.revision));
  }

  return (
    <div className="revisions">
      <div className="section-head">
        <h1>Revisions</h1>
      </div>
      {rolledBack && (
        <p className="note" role="status" data-testid="rolled-back">
          Rolled back to revision {rolledBack.target}: the configuration is now revision <strong>{rolledBack.revision}</strong>.
        </p>
      )}
      {list.error && (
        <p className="error" role="alert">
          {list.error}
        </p>
      )}
      {!list.revisions && !list.error && <p className="muted">Loading…</p>}
      {list.revisions && (
        <div className="revisions-layout">
          <RevisionList revisions={list.revisions} selected={selected} hasMore={list.hasMore} loadingMore={list.loadingMore} onLoadMore={() => void list.loadMore()} />
          <section aria-labelledby="diff-title" className="diff-panel">
            <div className="section-head">
              <h2 id="diff-title" data-testid="diff-title">
                {pair ? `Revision ${pair.older} → ${pair.newer}` : selected === null ? 'No revision' : `Revision ${selected}`}
              </h2>
              {isAdmin && selected !== null && selected !== latest && (
                <button type="button" data-testid="rollback" onClick={() => setRollingBack(true)}>
                  Roll back to revision {selected}
                </button>
              )}
            </div>
            <CompareForm key={`${selected}-${against}`} rev={selected} against={pair ? (pair.older === selected ? pair.newer : pair.older) : null} />
            {pair ? <DiffPanel pair={pair} /> : <p className="muted">{selected === 0 ? 'Revision 0 is the initial, empty configuration: it has no predecessor to compare with.' : 'Pick two different revisions to compare.'}</p>}
          </section>
        </div>
      )}
      {rollingBack && selected !== null && <RollbackDialog target={selected} onRolledBack={onRolledBack} onClose={() => setRollingBack(false)} />}
    </div>
  );
}

function DiffPanel({ pair }: { pair: ComparedPair }) {
  const state = useRevisionDiff(pair);
  if (!state) return <p className="muted">Loading the diff…</p>;
  if (state.error !== null) {
    return (
      <p className="error" role="alert" data-testid="diff-error">
        {state.error}
      </p>
    );
  }
  return <RevisionDiff diff={state.diff} leftLabel={`Revision ${pair.older}`} rightLabel={`Revision ${pair.newer}`} />;
}
