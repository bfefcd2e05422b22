import { Module } from '@nestjs/common';
import { StatsModule } from '../stats/stats.module';
import { AgentsController } from './agents.controller';
import { AgentsGateway } from './agents.gateway';
import { AgentsService } from './agents.service';

@Module({
  imports: [StatsModule],
  controllers: [AgentsController],
  providers: [AgentsService, AgentsGateway],
})
export class AgentsModule {}
