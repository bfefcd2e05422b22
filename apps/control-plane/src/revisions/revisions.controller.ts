import { Controller, Get, Param, ParseIntPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { revisionDiffParams } from '@switchboard/protocol';
import { z } from 'zod';
import { Auth } from '../auth/roles';
import { ZodPipe } from '../common/zod.pipe';
import { RevisionsService } from './revisions.service';

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  /** Only revisions numbered below this one: the next page after a page ending at `before`. */
  before: z.coerce.number().int().min(0).optional(),
});

@ApiTags('revisions')
@ApiBearerAuth()
@Controller('revisions')
export class RevisionsController {
  constructor(private readonly revisions: RevisionsService) {}

  @Get()
  @Auth('viewer')
  list(@Query(new ZodPipe(listQuery)) query: z.infer<typeof listQuery>) {
    return this.revisions.list(query.limit, query.before);
  }

  @Get(':number')
  @Auth('viewer')
  get(@Param('number', ParseIntPipe) number: number) {
    return this.revisions.get(number);
  }

  /** ConfigDiff from revision `a` to revision `b`: changes per balancer, member and route, and the unified diff of their YAML exports. */
  @Get(':a/diff/:b')
  @Auth('viewer')
  diff(@Param(new ZodPipe(revisionDiffParams)) params: z.infer<typeof revisionDiffParams>) {
    return this.revisions.diff(params.a, params.b);
  }
}
