import { Injectable, Logger } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { hashSecret, newSecret } from './secrets';
import type { Principal, Role } from './roles';

const BOOTSTRAP_NAME = 'bootstrap-admin';
/** pg_advisory_xact_lock key serializing the bootstrap check-and-create across replicas. */
const BOOTSTRAP_LOCK = 0x5b0a4e;

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
   * Gives a new database its first admin token, once. On a database without any admin token
   * (revoked ones count), `configured` (SWITCHBOARD_ADMIN_TOKEN) is stored hashed as that token;
   * without it one is generated and printed once to stdout. On any other database nothing is
   * written: a revoked bootstrap token stays revoked across restarts, and a `configured` value
   * that is not an active admin token is ignored with a warning naming the variable.
   * Replicas starting together on one empty database are serialized by a Postgres advisory lock
   * held by the check-and-create transaction, so exactly one bootstrap token results.
   * @returns the generated token, if this call generated one.
   */
  async bootstrapAdmin(configured: string | undefined): Promise<string | null> {
    const created = await this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`;
      if ((await tx.apiToken.count({ where: { role: 'admin' } })) > 0) return null;
      const secret = configured ?? newSecret('sb_');
      await tx.apiToken.create({ data: { name: BOOTSTRAP_NAME, role: 'admin', secretHash: hashSecret(secret) } });
      return secret;
    });
    if (created === null) {
      if (configured && (await this.verifyApiToken(configured))?.role !== 'admin') {
        this.logger.warn('SWITCHBOARD_ADMIN_TOKEN is ignored: it only bootstraps a database without admin tokens, and this one has them (a revoked bootstrap token stays revoked); unset it, or set it to an active admin token');
      }
      return null;
    }
    if (configured) return null;
    this.logger.warn('generated the bootstrap admin token; it is shown once:');
    process.stdout.write(`\nSWITCHBOARD_ADMIN_TOKEN=${created}\n\n`);
    return created;
  }
}
