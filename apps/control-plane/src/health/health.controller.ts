import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/roles';
import { Problem } from '../common/problem';
import { PrismaService } from '../database/prisma.service';

/** Liveness (the process answers) and readiness (Postgres answers), outside /api/v1. */
@ApiExcludeController()
@Controller()
export class HealthController {
  constructor(private readonly prisma: PrismaService) {}

  @Get('healthz')
  @Public()
  live() {
    return { status: 'ok' };
  }

  @Get('readyz')
  @Public()
  async ready() {
    try {
      await this.prisma.$queryRaw`SELECT 1`;
    } catch {
      throw new Problem('unavailable', 'database unreachable');
    }
    return { status: 'ready' };
  }
}
