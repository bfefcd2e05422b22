import { Body, Controller, Delete, Get, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { AuthedRequest } from '../auth/auth.guard';
import { Auth } from '../auth/roles';
import { ZodPipe } from '../common/zod.pipe';
import { createAgentTokenBody, createApiTokenBody, type CreateAgentTokenBody, type CreateApiTokenBody } from './token.dto';
import { TokensService } from './tokens.service';

@ApiTags('tokens')
@ApiBearerAuth()
@Controller()
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  /** Creates an API token; the answer's `token` is the only time the secret is shown. */
  @Post('tokens')
  @Auth('admin')
  @ApiBody({ schema: z.toJSONSchema(createApiTokenBody, { io: 'input' }) as object })
  createApiToken(@Req() req: AuthedRequest, @Body(new ZodPipe(createApiTokenBody)) body: CreateApiTokenBody) {
    return this.tokens.createApiToken(req.principal.name, body);
  }

  @Get('tokens')
  @Auth('admin')
  listApiTokens() {
    return this.tokens.listApiTokens();
  }

  @Delete('tokens/:id')
  @Auth('admin')
  revokeApiToken(@Req() req: AuthedRequest, @Param('id') id: string) {
    return this.tokens.revokeApiToken(req.principal.name, id);
  }

  /** Creates an agent enrollment token for SWITCHBOARD_AGENT_TOKEN; shown once. */
  @Post('agent-tokens')
  @Auth('admin')
  @ApiBody({ schema: z.toJSONSchema(createAgentTokenBody, { io: 'input' }) as object })
  createAgentToken(@Req() req: AuthedRequest, @Body(new ZodPipe(createAgentTokenBody)) body: CreateAgentTokenBody) {
    return this.tokens.createAgentToken(req.principal.name, body);
  }

  @Get('agent-tokens')
  @Auth('admin')
  listAgentTokens() {
    return this.tokens.listAgentTokens();
  }

  @Delete('agent-tokens/:id')
  @Auth('admin')
  revokeAgentToken(@Req() req: AuthedRequest, @Param('id') id: string) {
    return this.tokens.revokeAgentToken(req.principal.name, id);
  }
}
