'use client';

import type { ReactNode } from 'react';
import { useConfigWrite, type WriteRequest, type Written } from '@/hooks/useConfigWrite';
import { fieldErrors } from '@/lib/api';
import { WriteControls } from './WriteControls';

interface Props<T> {
  request: WriteRequest<T>;
  /** What will happen, naming what is removed. */
  children: ReactNode;
  confirmLabel: string;
  testId: string;
  onDone: (written: Written<T>) => void;
  onCancel: () => void;
}

/** A confirmation for a destructive write (remove a member, delete a balancer), which can be previewed as a dry run first. */
export function ConfirmWrite<T>({ request, children, confirmLabel, testId, onDone, onCancel }: Props<T>) {
  const write = useConfigWrite<T>();
  return (
    <div className="confirm" role="group" aria-label={confirmLabel} data-testid={`${testId}-confirm`}>
      {children}
      <WriteControls write={write} request={request} onSaved={onDone} onCancel={onCancel} saveLabel={confirmLabel} testId={testId} otherErrors={fieldErrors(write.failure?.problem ?? null)} danger />
    </div>
  );
}
