import { Controller } from '@nestjs/common';
import { operations } from '@switchboard/protocol';
import { Endpoint } from '../common/endpoint';
import { AgentsService } from './agents.service';

@Controller()
export class AgentsController {
  constructor(private readonly agents: AgentsService) {}

  @Endpoint(operations.listAgents)
  list() {
    return this.agents.list();
  }
}
