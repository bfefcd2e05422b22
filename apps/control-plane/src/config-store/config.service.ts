import { Injectable } from '@nestjs/common';
import { configDocument, configDocumentErrors, configDocumentOf, type ConfigDocument, type ParsedConfigDocument } from '@switchboard/protocol';
import { Problem } from '../common/problem';
import type { WriteContext } from '../common/write';
import { storedConfig } from '../revisions/revision-diff';
import { RevisionsService, type WriteOutcome } from '../revisions/revisions.service';
import { applyConfig } from './config-store';

/** The whole configuration at once: export, declarative apply, rollback. */
@Injectable()
export class ConfigService {
  constructor(private readonly revisions: RevisionsService) {}

  /** The latest revision as a configuration document (ids only with `ids`), and its number. */
  async export(ids: boolean): Promise<{ revision: number; document: ConfigDocument }> {
    const latest = await this.revisions.latest();
    return { revision: latest.number, document: configDocumentOf(storedConfig(latest.config), { ids, revision: latest.number }) };
  }

  /**
   * Makes the configuration what `document` says, as one revision (audit action `config.apply`,
   * target `config`); nothing is written when that is what it already is.
   * @throws Problem from the write (412 for a stale If-Match; 409 when the result is inconsistent).
   */
  apply(ctx: WriteContext, document: ParsedConfigDocument): Promise<WriteOutcome<null>> {
    return this.revisions.write({ ...ctx, action: 'config.apply', whole: true }, async (tx) => {
      await applyConfig(tx, document);
      return { result: null, target: 'config', before: null, after: null };
    });
  }

  /**
   * A new revision whose configuration equals revision `number`'s, ids included, so its hash is
   * that revision's (audit action `revision.rollback`, target `revision:<number>`); nothing is
   * written when the configuration already is that one.
   * @throws Problem `not-found` for an unknown revision; `conflict` when today's rules refuse its
   *   configuration (say, a member URL with credentials), naming the fields.
   */
  async rollback(ctx: WriteContext, number: number): Promise<WriteOutcome<null>> {
    const document = restorable(number, (await this.revisions.get(number)).config);
    return this.revisions.write({ ...ctx, action: 'revision.rollback', whole: true }, async (tx) => {
      await applyConfig(tx, document);
      return { result: null, target: `revision:${number}`, before: null, after: null };
    });
  }
}

/** Revision `number`'s configuration as a document with every id. @throws Problem `conflict` naming what today's schema refuses. */
function restorable(number: number, config: unknown): ParsedConfigDocument {
  const result = configDocument.safeParse(configDocumentOf(storedConfig(config), { ids: true }));
  if (result.success) return result.data;
  const errors = configDocumentErrors(result.error);
  throw new Problem('conflict', `revision ${number} cannot be restored as it is: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, errors);
}
