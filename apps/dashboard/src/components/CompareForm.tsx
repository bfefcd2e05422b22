'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { revisionParam, revisionsHref } from '@/lib/revisions';
import { NumberField } from './NumberField';

const NOT_A_REVISION = 'must be a revision number such as 12';

/** Picks any two revisions to compare: puts them in the URL (`?rev=&against=`), so the view can be linked to. */
export function CompareForm({ rev, against }: { rev: number | null; against: number | null }) {
  const router = useRouter();
  const [revText, setRevText] = useState(rev === null ? '' : String(rev));
  const [againstText, setAgainstText] = useState(against === null ? '' : String(against));
  const [invalid, setInvalid] = useState<{ rev: boolean; against: boolean }>({ rev: false, against: false });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const a = revisionParam(revText.trim());
    const b = againstText.trim() === '' ? null : revisionParam(againstText.trim());
    const bad = { rev: a === null, against: againstText.trim() !== '' && b === null };
    setInvalid(bad);
    if (a !== null && !bad.against) router.push(revisionsHref(a, b));
  }

  return (
    <form className="inline-form compare-form" data-testid="compare-form" onSubmit={submit} noValidate>
      <NumberField testId="compare-rev" label="Revision" value={revText} onChange={setRevText} errors={invalid.rev ? [NOT_A_REVISION] : undefined} size={6} />
      <NumberField testId="compare-against" label="compared with" placeholder="previous" value={againstText} onChange={setAgainstText} errors={invalid.against ? [NOT_A_REVISION] : undefined} size={6} />
      <div className="buttons">
        <button type="submit" data-testid="compare">
          Compare
        </button>
      </div>
    </form>
  );
}
