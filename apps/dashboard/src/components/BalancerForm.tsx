'use client';

import type { Balancer } from '@switchboard/api-client';
import { useMemo, useState } from 'react';
import { useConfigWrite, type WriteRequest, type Written } from '@/hooks/useConfigWrite';
import { answer, client, formBody, writeParams } from '@/lib/api';
import { BALANCER_FIELDS, BALANCER_SECTIONS, balancerBody, balancerFieldShown, balancerValues, newBalancerValues, type BalancerField } from '@/lib/balancer-form';
import type { FormValue } from '@/lib/field-spec';
import { errorsByField } from '@/lib/form';
import { SpecField } from './SpecField';
import { WriteControls } from './WriteControls';

interface Props {
  /** The balancer to edit; null to create one. */
  balancer: Balancer | null;
  onSaved: (written: Written<Balancer>) => void;
  onCancel: () => void;
}

/**
 * The balancer's settings as a form (admins only): a new balancer starts from the API's
 * defaults; an edit sends only the groups changed (PATCH). The control plane validates; its
 * messages appear next to the fields their `errors[].path` names, and what was typed stays.
 */
export function BalancerForm({ balancer, onSaved, onCancel }: Props) {
  const initial = useMemo(() => (balancer ? balancerValues(balancer) : newBalancerValues()), [balancer]);
  const [values, setValues] = useState(initial);
  const write = useConfigWrite<Balancer>();
  const shown = BALANCER_FIELDS.map((f) => f.path).filter((path) => balancerFieldShown(path, values));
  const errors = errorsByField(write.failure?.problem ?? null, shown);

  const request = ((): WriteRequest<Balancer> | null => {
    if (!balancer) return (mode) => answer(client.POST('/api/v1/balancers', { params: writeParams(mode), body: formBody(balancerBody(values)) }));
    const body = balancerBody(values, initial);
    if (Object.keys(body).length === 0) return null;
    return (mode) => answer(client.PATCH('/api/v1/balancers/{id}', { params: { path: { id: balancer.id }, ...writeParams(mode) }, body: formBody(body) }));
  })();

  function set(path: BalancerField, value: FormValue) {
    setValues((current) => ({ ...current, [path]: value }));
    write.discardPreview();
  }

  return (
    <form className="card edit-form" data-testid="balancer-form" onSubmit={(e) => e.preventDefault()} noValidate>
      <h2>{balancer ? `Settings of ${balancer.name}` : 'New balancer'}</h2>
      <div className="sections">
        {BALANCER_SECTIONS.map((section) => (
          <fieldset key={section.title}>
            <legend>{section.title}</legend>
            {section.fields
              .filter((spec) => balancerFieldShown(spec.path, values))
              .map((spec) => (
                <SpecField key={spec.path} spec={spec} value={values[spec.path]} onChange={(v) => set(spec.path, v)} errors={errors.byField[spec.path]} disabled={write.busy !== null} />
              ))}
          </fieldset>
        ))}
      </div>
      <WriteControls write={write} request={request} onSaved={onSaved} onCancel={onCancel} saveLabel={balancer ? 'Save' : 'Create balancer'} testId="balancer" otherErrors={errors.other} />
    </form>
  );
}
