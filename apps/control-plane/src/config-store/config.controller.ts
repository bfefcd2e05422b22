import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { configDocument, configDocumentYaml, configExportQuery, revisionNumberParams, type ParsedConfigDocument } from '@switchboard/protocol';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { Auth } from '../auth/roles';
import { answerChange, REVISION_HEADER, Write, type WriteContext } from '../common/write';
import { ZodPipe } from '../common/zod.pipe';
import { ConfigBodyPipe, YAML_TYPES } from './config-body';
import { ConfigService } from './config.service';

@ApiTags('config')
@ApiBearerAuth()
@Controller()
export class ConfigController {
  constructor(private readonly config: ConfigService) {}

  /** The whole configuration of the latest revision (named by Switchboard-Revision): JSON, or YAML with `Accept: application/yaml`; ids with `?ids=true`. */
  @Get('config')
  @Auth('viewer')
  async export(@Query(new ZodPipe(configExportQuery)) query: z.infer<typeof configExportQuery>, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { revision, document } = await this.config.export(query.ids);
    res.setHeader(REVISION_HEADER, String(revision));
    if (req.accepts(['application/json', ...YAML_TYPES]) === 'application/json') return document;
    res.type(YAML_TYPES[0]);
    return configDocumentYaml(document);
  }

  /** Applies a whole configuration (JSON, or YAML with `Content-Type: application/yaml`) as one revision: what is absent is deleted, what matches keeps its id and live state. */
  @Put('config')
  @Auth('admin')
  @ApiBody({ schema: z.toJSONSchema(configDocument, { io: 'input' }) as object })
  async apply(@Write() ctx: WriteContext, @Body(ConfigBodyPipe) document: ParsedConfigDocument, @Res({ passthrough: true }) res: Response) {
    return answerChange(res, await this.config.apply(ctx, document));
  }

  /** A new revision whose configuration equals revision `number`'s (same hash). */
  @Post('revisions/:number/rollback')
  @HttpCode(200)
  @Auth('admin')
  async rollback(@Write() ctx: WriteContext, @Param(new ZodPipe(revisionNumberParams)) params: z.infer<typeof revisionNumberParams>, @Res({ passthrough: true }) res: Response) {
    return answerChange(res, await this.config.rollback(ctx, params.number));
  }
}
