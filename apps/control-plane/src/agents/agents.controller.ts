import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/roles';
import { AgentsService } from './agents.service';

@ApiTags('agents')
@ApiBearerAuth()
@Controller('agents')
export class AgentsController {
  constructor(private readonly agents: AgentsService) {}

  /** Every agent ever registered, with its sync status: applied revision, last seen, online. */
  @Get()
  @Auth('viewer')
  list() {
    return this.agents.list();
  }
}
