import { Injectable } from '@nestjs/common';
import { Revocations } from '../auth/revocations.service';
import { hashSecret, newSecret } from '../auth/secrets';
import { toJsonValue } from '../common/json';
import { Problem } from '../common/problem';
import { PrismaService, type Tx } from '../database/prisma.service';
import type { AgentToken, ApiToken, CreateAgentTokenBody, CreateApiTokenBody, Role } from '@switchboard/protocol';
import type { WithDates } from '../common/json';

const PUBLIC_FIELDS = { id: true, name: true, createdAt: true, revokedAt: true } as const;

/** An API token as a service returns it: the contract's ApiToken, times as Dates until serialised. */
export type ApiTokenDto = WithDates<ApiToken, 'createdAt' | 'revokedAt'>;
/** An agent token as a service returns it. */
export type AgentTokenDto = WithDates<AgentToken, 'createdAt' | 'revokedAt'>;

/** An ApiToken row's public fields (its stored role is one the API let in). */
function apiTokenOf(row: Omit<ApiTokenDto, 'role'> & { role: string }): ApiTokenDto {
  return { ...row, role: row.role as Role };
}

/**
 * API tokens (`sb_…`, with a role) and agent enrollment tokens (`sba_…`). The secret is returned
 * once, at creation; only its sha256 is stored. Revoking keeps the row for the audit trail.
 */
@Injectable()
export class TokensService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly revocations: Revocations,
  ) {}

  async createApiToken(actor: string, body: CreateApiTokenBody): Promise<ApiTokenDto & { token: string }> {
    const token = newSecret('sb_');
    const row = apiTokenOf(await this.prisma.apiToken.create({ data: { ...body, secretHash: hashSecret(token) }, select: { ...PUBLIC_FIELDS, role: true } }));
    await this.audit(this.prisma, actor, 'token.create', `token:${row.id}`, row);
    return { ...row, token };
  }

  async createAgentToken(actor: string, body: CreateAgentTokenBody): Promise<AgentTokenDto & { token: string }> {
    const token = newSecret('sba_');
    const row = await this.prisma.agentToken.create({ data: { ...body, secretHash: hashSecret(token) }, select: PUBLIC_FIELDS });
    await this.audit(this.prisma, actor, 'agent-token.create', `agent-token:${row.id}`, row);
    return { ...row, token };
  }

  async listApiTokens(): Promise<ApiTokenDto[]> {
    const rows = await this.prisma.apiToken.findMany({ select: { ...PUBLIC_FIELDS, role: true }, orderBy: { createdAt: 'asc' } });
    return rows.map(apiTokenOf);
  }

  listAgentTokens(): Promise<AgentTokenDto[]> {
    return this.prisma.agentToken.findMany({ select: PUBLIC_FIELDS, orderBy: { createdAt: 'asc' } });
  }

  /**
   * Revokes an API token, records the audit event and announces it, in one transaction: its open
   * live streams (`/stats/stream`) end on every replica at once. @throws Problem `not-found`.
   */
  async revokeApiToken(actor: string, id: string): Promise<ApiTokenDto> {
    return this.prisma.$transaction(async (tx) => {
      if (!(await tx.apiToken.findUnique({ where: { id } }))) throw new Problem('not-found', `token ${id} does not exist`);
      const row = apiTokenOf(await tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() }, select: { ...PUBLIC_FIELDS, role: true } }));
      await this.audit(tx, actor, 'token.revoke', `token:${id}`, row);
      await this.revocations.announce(tx, { kind: 'api', id });
      return row;
    });
  }

  /**
   * Revokes an agent token like `revokeApiToken`: every agent connected with it, on any replica,
   * gets close 4403 at once, and its next handshakes are refused (401). @throws Problem `not-found`.
   */
  async revokeAgentToken(actor: string, id: string): Promise<AgentTokenDto> {
    return this.prisma.$transaction(async (tx) => {
      if (!(await tx.agentToken.findUnique({ where: { id } }))) throw new Problem('not-found', `agent token ${id} does not exist`);
      const row = await tx.agentToken.update({ where: { id }, data: { revokedAt: new Date() }, select: PUBLIC_FIELDS });
      await this.audit(tx, actor, 'agent-token.revoke', `agent-token:${id}`, row);
      await this.revocations.announce(tx, { kind: 'agent', id });
      return row;
    });
  }

  private async audit(tx: Tx, actor: string, action: string, target: string, after: object): Promise<void> {
    await tx.auditEvent.create({ data: { actor, action, target, after: toJsonValue(after) } });
  }
}
