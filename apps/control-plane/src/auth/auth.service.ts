import { Injectable, Logger } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { hashSecret, newSecret } from './secrets';
import type { Principal, Role } from './roles';

const BOOTSTRAP_NAME = 'bootstrap-admin';

/** Verifies API and agent tokens (stored as sha256 hashes) and bootstraps the first admin token. */
@Injectable()
export class AuthService {
  private readonly logger = new Logger('Auth');

  constructor(private readonly prisma: PrismaService) {}

  /** The principal of an API token, or null when it is unknown or revoked. */
  async verifyApiToken(secret: string): Promise<Principal | null> {
    const token = await this.prisma.apiToken.findUnique({ where: { secretHash: hashSecret(secret) } });
    if (!token || token.revokedAt) return null;
    return { id: token.id, name: token.name, role: token.role as Role };
  }

  /** The agent token's id, or null when it is unknown or revoked. */
  async verifyAgentToken(secret: string): Promise<string | null> {
    const token = await this.prisma.agentToken.findUnique({ where: { secretHash: hashSecret(secret) } });
    return token && !token.revokedAt ? token.id : null;
  }

  /**
   * Makes sure an admin can log in: `configured` (SWITCHBOARD_ADMIN_TOKEN) is stored (hashed) as
   * the bootstrap admin token; without it, when no admin token exists yet, one is generated and
   * printed once to stdout. Returns the generated token, if any.
   */
  async bootstrapAdmin(configured: string | undefined): Promise<string | null> {
    if (configured) {
      const secretHash = hashSecret(configured);
      await this.prisma.apiToken.upsert({ where: { secretHash }, update: { revokedAt: null }, create: { name: BOOTSTRAP_NAME, role: 'admin', secretHash } });
      return null;
    }
    const admins = await this.prisma.apiToken.count({ where: { role: 'admin', revokedAt: null } });
    if (admins > 0) return null;
    const secret = newSecret('sb_');
    await this.prisma.apiToken.create({ data: { name: BOOTSTRAP_NAME, role: 'admin', secretHash: hashSecret(secret) } });
    this.logger.warn('generated the bootstrap admin token; it is shown once:');
    process.stdout.write(`\nSWITCHBOARD_ADMIN_TOKEN=${secret}\n\n`);
    return secret;
  }
}
