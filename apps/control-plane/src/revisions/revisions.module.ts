import { Global, Module } from '@nestjs/common';
import { RevisionFeed } from './revision-feed.service';
import { RevisionsController } from './revisions.controller';
import { RevisionsService } from './revisions.service';

@Global()
@Module({
  controllers: [RevisionsController],
  providers: [RevisionsService, RevisionFeed],
  exports: [RevisionsService, RevisionFeed],
})
export class RevisionsModule {}
