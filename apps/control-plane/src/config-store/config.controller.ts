import { Body, Controller, Param, Query, Req, Res } from '@nestjs/common';
import { configDocumentYaml, operations, REVISION_HEADER, type ParsedConfigDocument } from '@switchboard/protocol';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { Endpoint, paramsOf, queryOf } from '../common/endpoint';
import { answerChange, Write, type WriteContext } from '../common/write';
import { ConfigBodyPipe, YAML_TYPES } from './config-body';
import { ConfigService } from './config.service';

@Controller()
export class ConfigController {
  constructor(private readonly config: ConfigService) {}

  /** The whole configuration of the latest revision (named by Switchboard-Revision): JSON, or YAML with `Accept: application/yaml`; ids with `?ids=true`. */
  @Endpoint(operations.getConfig)
  async export(@Query(queryOf(operations.getConfig)) query: z.output<typeof operations.getConfig.query>, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { revision, document } = await this.config.export(query.ids);
    res.setHeader(REVISION_HEADER, String(revision));
    if (req.accepts(['application/json', ...YAML_TYPES]) === 'application/json') return document;
    res.type(YAML_TYPES[0]);
    return configDocumentYaml(document);
  }

  /** Applies a whole configuration (JSON, or YAML with `Content-Type: application/yaml`) as one revision: what is absent is deleted, what matches keeps its id and live state. */
  @Endpoint(operations.putConfig)
  async apply(@Write() ctx: WriteContext, @Body(ConfigBodyPipe) document: ParsedConfigDocument, @Res({ passthrough: true }) res: Response) {
    return answerChange(res, await this.config.apply(ctx, document));
  }

  /** A new revision whose configuration equals revision `number`'s (same hash). */
  @Endpoint(operations.rollbackRevision)
  async rollback(@Write() ctx: WriteContext, @Param(paramsOf(operations.rollbackRevision)) params: z.output<typeof operations.rollbackRevision.params>, @Res({ passthrough: true }) res: Response) {
    return answerChange(res, await this.config.rollback(ctx, params.number));
  }
}
