import { Controller } from '@nestjs/common';
import { operations } from '@switchboard/protocol';
import { Endpoint } from '../common/endpoint';
import { Problem } from '../common/problem';
import { PrismaService } from '../database/prisma.service';

/** Liveness (the process answers) and readiness (Postgres answers), outside /api/v1. */
@Controller()
export class HealthController {
  constructor(private readonly prisma: PrismaService) {}

  @Endpoint(operations.getLiveness)
  live() {
    return { status: 'ok' };
  }

  @Endpoint(operations.getReadiness)
  async ready() {
    try {
      await this.prisma.$queryRaw`SELECT 1`;
    } catch {
      throw new Problem('unavailable', 'database unreachable');
    }
    return { status: 'ready' };
  }
}
