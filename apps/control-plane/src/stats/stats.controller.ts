import { Controller, Get, MessageEvent, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { catchError, EMPTY, exhaustMap, from, interval, map, merge, Observable, startWith } from 'rxjs';
import { Auth } from '../auth/roles';
import { RevisionFeed } from '../revisions/revision-feed.service';
import { StatsService } from './stats.service';

/** How often the live feed pushes figures when nothing changes (ms). */
const STREAM_INTERVAL_MS = 1000;

@ApiTags('stats')
@ApiBearerAuth()
@Controller('stats')
export class StatsController {
  constructor(
    private readonly stats: StatsService,
    private readonly feed: RevisionFeed,
  ) {}

  /** Live per-member figures, summed over online agents and per agent. */
  @Get()
  @Auth('viewer')
  read() {
    return this.stats.read();
  }

  /**
   * Server-sent events: `event: stats` with the body of GET /stats, at once, every second and
   * right after each configuration change (so a drain shows without waiting for the next tick).
   * A read still running when the next tick comes makes that tick skip; a failed read is skipped.
   */
  @Sse('stream')
  @Auth('viewer')
  stream(): Observable<MessageEvent> {
    return merge(interval(STREAM_INTERVAL_MS), this.feed.revisions).pipe(
      startWith(0),
      exhaustMap(() => from(this.stats.read()).pipe(catchError(() => EMPTY))),
      map((data) => ({ type: 'stats', data })),
    );
  }
}
