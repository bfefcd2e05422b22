import { Body, Controller, Param, Res } from '@nestjs/common';
import { operations, type CreateRouteBody, type UpdateRouteBody } from '@switchboard/protocol';
import type { Response } from 'express';
import { bodyOf, Endpoint } from '../common/endpoint';
import { answerWrite, Write, type WriteContext } from '../common/write';
import { RoutesService } from './routes.service';

@Controller()
export class RoutesController {
  constructor(private readonly routes: RoutesService) {}

  @Endpoint(operations.listRoutes)
  list() {
    return this.routes.list();
  }

  @Endpoint(operations.getRoute)
  get(@Param('id') id: string) {
    return this.routes.get(id);
  }

  @Endpoint(operations.createRoute)
  async create(@Write() ctx: WriteContext, @Body(bodyOf(operations.createRoute)) body: CreateRouteBody, @Res({ passthrough: true }) res: Response) {
    return answerWrite(res, await this.routes.create(ctx, body));
  }

  @Endpoint(operations.updateRoute)
  async update(@Write() ctx: WriteContext, @Param('id') id: string, @Body(bodyOf(operations.updateRoute)) body: UpdateRouteBody, @Res({ passthrough: true }) res: Response) {
    return answerWrite(res, await this.routes.update(ctx, id, body));
  }

  @Endpoint(operations.deleteRoute)
  async remove(@Write() ctx: WriteContext, @Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    return answerWrite(res, await this.routes.remove(ctx, id));
  }
}
