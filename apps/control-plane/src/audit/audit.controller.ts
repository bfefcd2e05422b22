import { Controller, Query } from '@nestjs/common';
import { operations, type AuditQuery } from '@switchboard/protocol';
import { Endpoint, queryOf } from '../common/endpoint';
import { PrismaService } from '../database/prisma.service';

@Controller()
export class AuditController {
  constructor(private readonly prisma: PrismaService) {}

  @Endpoint(operations.listAuditEvents)
  list(@Query(queryOf(operations.listAuditEvents)) query: AuditQuery) {
    return this.prisma.auditEvent.findMany({ orderBy: { createdAt: 'desc' }, take: query.limit });
  }
}
