import { Controller, Get, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthedRequest } from './auth.guard';
import { Auth, type Principal } from './roles';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  /** The caller's token: `{ id, name, role }`. */
  @Get()
  @Auth('viewer')
  me(@Req() request: AuthedRequest): Principal {
    return request.principal;
  }
}
