import { Controller, Param, Query } from '@nestjs/common';
import { operations, type RevisionListQuery, type RevisionParams } from '@switchboard/protocol';
import type { z } from 'zod';
import { Endpoint, paramsOf, queryOf } from '../common/endpoint';
import { RevisionsService } from './revisions.service';

@Controller()
export class RevisionsController {
  constructor(private readonly revisions: RevisionsService) {}

  @Endpoint(operations.listRevisions)
  list(@Query(queryOf(operations.listRevisions)) query: RevisionListQuery) {
    return this.revisions.list(query.limit, query.before);
  }

  @Endpoint(operations.getRevision)
  get(@Param(paramsOf(operations.getRevision)) params: RevisionParams) {
    return this.revisions.get(params.number);
  }

  @Endpoint(operations.getRevisionDiff)
  diff(@Param(paramsOf(operations.getRevisionDiff)) params: z.infer<typeof operations.getRevisionDiff.params>) {
    return this.revisions.diff(params.a, params.b);
  }
}
