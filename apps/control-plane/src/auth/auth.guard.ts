import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { Problem } from '../common/problem';
import { AUTH_KEY, hasRole, type Principal, type Role } from './roles';
import { AuthService } from './auth.service';
import { bearerToken } from './secrets';

/** Request with the authenticated principal attached by AuthGuard. */
export type AuthedRequest = Request & { principal: Principal };

/**
 * Global guard. Fails closed: a route without an `@Auth(role)` or `@Public()` declaration is
 * refused. No or unknown token → 401, too weak a role → 403 (both problem+json).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const required = this.reflector.getAllAndOverride<Role | 'public' | undefined>(AUTH_KEY, [context.getHandler(), context.getClass()]);
    if (required === 'public') return true;
    if (!required) throw new Problem('forbidden', 'route has no auth declaration');
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const token = bearerToken(request.headers.authorization);
    if (!token) throw new Problem('unauthorized', 'missing bearer token: send Authorization: Bearer <token>');
    const principal = await this.auth.verifyApiToken(token);
    if (!principal) throw new Problem('unauthorized', 'unknown or revoked token');
    if (!hasRole(principal.role, required)) throw new Problem('forbidden', `role ${principal.role} may not do this; ${required} is required`);
    request.principal = principal;
    return true;
  }
}
