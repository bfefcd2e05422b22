import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Auth } from '../auth/roles';
import { ZodPipe } from '../common/zod.pipe';
import { PrismaService } from '../database/prisma.service';

const auditQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly prisma: PrismaService) {}

  /** Audit events newest first: `{ id, actor, action, target, before, after, revision, createdAt }`. */
  @Get()
  @Auth('viewer')
  list(@Query(new ZodPipe(auditQuery)) query: z.infer<typeof auditQuery>) {
    return this.prisma.auditEvent.findMany({ orderBy: { createdAt: 'desc' }, take: query.limit });
  }
}
