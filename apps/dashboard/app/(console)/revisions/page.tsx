import type { Metadata } from 'next';
import { RevisionsView } from '@/components/RevisionsView';
import { revisionParam } from '@/lib/revisions';

export const metadata: Metadata = { title: 'Revisions' };

/** `/revisions?rev=N&against=M`: the history, the diff of N against M (default: N's predecessor), rollback. */
export default async function RevisionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = await searchParams;
  return <RevisionsView rev={revisionParam(query.rev)} against={revisionParam(query.against)} />;
}
