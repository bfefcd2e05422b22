import { Controller, Query } from '@nestjs/common';
import { operations, type AuditPage, type AuditQuery } from '@switchboard/protocol';
import { Endpoint, queryOf } from '../common/endpoint';
import { AuditService } from './audit.service';

/** The audit log: read only. There is deliberately no route that writes, edits or deletes events. */
@Controller()
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** Audit events newest first, filtered and paged: `{ items: AuditEvent[], nextCursor }`. */
  @Endpoint(operations.listAuditEvents)
  list(@Query(queryOf(operations.listAuditEvents)) query: AuditQuery): Promise<AuditPage> {
    return this.audit.list(query);
  }
}
