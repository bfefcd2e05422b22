import { Injectable } from '@nestjs/common';
import { hashSecret, newSecret } from '../auth/secrets';
import { toJsonValue } from '../common/json';
import { Problem } from '../common/problem';
import { PrismaService } from '../database/prisma.service';
import type { CreateAgentTokenBody, CreateApiTokenBody, TokenDto } from './token.dto';

const PUBLIC_FIELDS = { id: true, name: true, createdAt: true, revokedAt: true } as const;

/**
 * API tokens (`sb_…`, with a role) and agent enrollment tokens (`sba_…`). The secret is returned
 * once, at creation; only its sha256 is stored. Revoking keeps the row for the audit trail.
 */
@Injectable()
export class TokensService {
  constructor(private readonly prisma: PrismaService) {}

  async createApiToken(actor: string, body: CreateApiTokenBody): Promise<TokenDto & { token: string }> {
    const token = newSecret('sb_');
    const row = await this.prisma.apiToken.create({ data: { ...body, secretHash: hashSecret(token) }, select: { ...PUBLIC_FIELDS, role: true } });
    await this.audit(actor, 'token.create', `token:${row.id}`, row);
    return { ...row, token };
  }

  async createAgentToken(actor: string, body: CreateAgentTokenBody): Promise<TokenDto & { token: string }> {
    const token = newSecret('sba_');
    const row = await this.prisma.agentToken.create({ data: { ...body, secretHash: hashSecret(token) }, select: PUBLIC_FIELDS });
    await this.audit(actor, 'agent-token.create', `agent-token:${row.id}`, row);
    return { ...row, token };
  }

  listApiTokens(): Promise<TokenDto[]> {
    return this.prisma.apiToken.findMany({ select: { ...PUBLIC_FIELDS, role: true }, orderBy: { createdAt: 'asc' } });
  }

  listAgentTokens(): Promise<TokenDto[]> {
    return this.prisma.agentToken.findMany({ select: PUBLIC_FIELDS, orderBy: { createdAt: 'asc' } });
  }

  /** @throws Problem `not-found`. */
  async revokeApiToken(actor: string, id: string): Promise<TokenDto> {
    if (!(await this.prisma.apiToken.findUnique({ where: { id } }))) throw new Problem('not-found', `token ${id} does not exist`);
    const row = await this.prisma.apiToken.update({ where: { id }, data: { revokedAt: new Date() }, select: { ...PUBLIC_FIELDS, role: true } });
    await this.audit(actor, 'token.revoke', `token:${id}`, row);
    return row;
  }

  /** @throws Problem `not-found`. Connected agents keep their session; new handshakes are refused. */
  async revokeAgentToken(actor: string, id: string): Promise<TokenDto> {
    if (!(await this.prisma.agentToken.findUnique({ where: { id } }))) throw new Problem('not-found', `agent token ${id} does not exist`);
    const row = await this.prisma.agentToken.update({ where: { id }, data: { revokedAt: new Date() }, select: PUBLIC_FIELDS });
    await this.audit(actor, 'agent-token.revoke', `agent-token:${id}`, row);
    return row;
  }

  private async audit(actor: string, action: string, target: string, after: object): Promise<void> {
    await this.prisma.auditEvent.create({ data: { actor, action, target, after: toJsonValue(after) } });
  }
}
