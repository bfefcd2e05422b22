import { Body, Controller, Delete, Get, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { Auth } from '../auth/roles';
import { answerWrite, Write, type WriteContext } from '../common/write';
import { ZodPipe } from '../common/zod.pipe';
import { createRouteBody, updateRouteBody, type CreateRouteBody, type UpdateRouteBody } from './route.dto';
import { RoutesService } from './routes.service';

@ApiTags('routes')
@ApiBearerAuth()
@Controller('routes')
export class RoutesController {
  constructor(private readonly routes: RoutesService) {}

  @Get()
  @Auth('viewer')
  list() {
    return this.routes.list();
  }

  @Get(':id')
  @Auth('viewer')
  get(@Param('id') id: string) {
    return this.routes.get(id);
  }

  @Post()
  @Auth('admin')
  @ApiBody({ schema: z.toJSONSchema(createRouteBody, { io: 'input' }) as object })
  async create(@Write() ctx: WriteContext, @Body(new ZodPipe(createRouteBody)) body: CreateRouteBody, @Res({ passthrough: true }) res: Response) {
    return answerWrite(res, await this.routes.create(ctx, body));
  }

  @Patch(':id')
  @Auth('admin')
  @ApiBody({ schema: z.toJSONSchema(updateRouteBody, { io: 'input' }) as object })
  async update(@Write() ctx: WriteContext, @Param('id') id: string, @Body(new ZodPipe(updateRouteBody)) body: UpdateRouteBody, @Res({ passthrough: true }) res: Response) {
    return answerWrite(res, await this.routes.update(ctx, id, body));
  }

  @Delete(':id')
  @Auth('admin')
  async remove(@Write() ctx: WriteContext, @Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    return answerWrite(res, await this.routes.remove(ctx, id));
  }
}
