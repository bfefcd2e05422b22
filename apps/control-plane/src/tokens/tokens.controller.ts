import { Body, Controller, Param, Req } from '@nestjs/common';
import { operations, type CreateAgentTokenBody, type CreateApiTokenBody } from '@switchboard/protocol';
import type { AuthedRequest } from '../auth/auth.guard';
import { bodyOf, Endpoint } from '../common/endpoint';
import { TokensService } from './tokens.service';

/** API tokens and agent enrollment tokens; a secret is shown once, in the answer that creates it. */
@Controller()
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Endpoint(operations.createApiToken)
  createApiToken(@Req() req: AuthedRequest, @Body(bodyOf(operations.createApiToken)) body: CreateApiTokenBody) {
    return this.tokens.createApiToken(req.principal.name, body);
  }

  @Endpoint(operations.listApiTokens)
  listApiTokens() {
    return this.tokens.listApiTokens();
  }

  @Endpoint(operations.revokeApiToken)
  revokeApiToken(@Req() req: AuthedRequest, @Param('id') id: string) {
    return this.tokens.revokeApiToken(req.principal.name, id);
  }

  @Endpoint(operations.createAgentToken)
  createAgentToken(@Req() req: AuthedRequest, @Body(bodyOf(operations.createAgentToken)) body: CreateAgentTokenBody) {
    return this.tokens.createAgentToken(req.principal.name, body);
  }

  @Endpoint(operations.listAgentTokens)
  listAgentTokens() {
    return this.tokens.listAgentTokens();
  }

  @Endpoint(operations.revokeAgentToken)
  revokeAgentToken(@Req() req: AuthedRequest, @Param('id') id: string) {
    return this.tokens.revokeAgentToken(req.principal.name, id);
  }
}
