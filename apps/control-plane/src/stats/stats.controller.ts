import { Controller, MessageEvent, OnModuleDestroy, Req } from '@nestjs/common';
import { operations } from '@switchboard/protocol';
import { catchError, EMPTY, exhaustMap, from, interval, map, merge, Observable, ReplaySubject, startWith, takeUntil } from 'rxjs';
import type { AuthedRequest } from '../auth/auth.guard';
import { Revocations } from '../auth/revocations.service';
import { Endpoint } from '../common/endpoint';
import { RevisionFeed } from '../revisions/revision-feed.service';
import { StatsService } from './stats.service';

/** How often the live feed pushes figures when nothing changes (ms). */
const STREAM_INTERVAL_MS = 1000;

@Controller()
export class StatsController implements OnModuleDestroy {
  /** Emits (and replays to late streams) once the application shuts down. */
  private readonly closing = new ReplaySubject<void>(1);

  constructor(
    private readonly stats: StatsService,
    private readonly feed: RevisionFeed,
    private readonly revocations: Revocations,
  ) {}

  /** Ends every live stream (before the HTTP server closes, which would otherwise wait for them). */
  onModuleDestroy(): void {
    this.closing.next();
  }

  /** Live per-member figures, summed over online agents and per agent. */
  @Endpoint(operations.getStats)
  read() {
    return this.stats.read();
  }

  /**
   * Server-sent events: `event: stats` with the body of GET /stats, at once, every second and
   * right after each configuration change (so a drain shows without waiting for the next tick).
   * A read still running when the next tick comes makes that tick skip; a failed read is skipped.
   * The stream ends (the response completes) as soon as its token is revoked through any replica,
   * and when the control plane shuts down.
   */
  @Endpoint(operations.streamStats)
  stream(@Req() req: AuthedRequest): Observable<MessageEvent> {
    return merge(interval(STREAM_INTERVAL_MS), this.feed.revisions).pipe(
      startWith(0),
      exhaustMap(() => from(this.stats.read()).pipe(catchError(() => EMPTY))),
      map((data) => ({ type: 'stats', data })),
      takeUntil(merge(this.closing, this.revocations.apiTokenRevoked(req.principal.id))),
    );
  }
}
