import { Controller, Req } from '@nestjs/common';
import { operations } from '@switchboard/protocol';
import { Endpoint } from '../common/endpoint';
import type { AuthedRequest } from './auth.guard';
import type { Principal } from './roles';

@Controller()
export class MeController {
  @Endpoint(operations.getMe)
  me(@Req() request: AuthedRequest): Principal {
    return request.principal;
  }
}
