import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { auditQuery, type AuditPage, type AuditQuery } from '@switchboard/protocol';
import { Auth } from '../auth/roles';
import { ZodPipe } from '../common/zod.pipe';
import { AuditService } from './audit.service';

/** The audit log: read only. There is deliberately no route that writes, edits or deletes events. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** Audit events newest first, filtered and paged: `{ items: AuditEvent[], nextCursor }`. */
  @Get()
  @Auth('viewer')
  list(@Query(new ZodPipe(auditQuery)) query: AuditQuery): Promise<AuditPage> {
    return this.audit.list(query);
  }
}
