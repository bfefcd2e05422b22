import { Controller } from '@nestjs/common';
import { operations } from '@switchboard/protocol';
import { Endpoint } from '../common/endpoint';
import { MetricsService } from './metrics.service';

/** GET /metrics in the Prometheus text format (outside /api/v1, like /healthz). */
@Controller()
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Endpoint(operations.getMetrics)
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
