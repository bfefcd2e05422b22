import { Body, Controller, Param, Res } from '@nestjs/common';
import { operations, type CreateBalancerBody, type RebalanceBody, type UpdateBalancerBody } from '@switchboard/protocol';
import type { Response } from 'express';
import { bodyOf, Endpoint } from '../common/endpoint';
import { answerWrite, Write, type WriteContext } from '../common/write';
import { BalancersService } from './balancers.service';

@Controller()
export class BalancersController {
  constructor(private readonly balancers: BalancersService) {}

  @Endpoint(operations.listBalancers)
  list() {
    return this.balancers.list();
  }

  @Endpoint(operations.getBalancer)
  get(@Param('id') id: string) {
    return this.balancers.get(id);
  }

  @Endpoint(operations.createBalancer)
  async create(@Write() ctx: WriteContext, @Body(bodyOf(operations.createBalancer)) body: CreateBalancerBody, @Res({ passthrough: true }) res: Response) {
    return answerWrite(res, await this.balancers.create(ctx, body));
  }

  @Endpoint(operations.updateBalancer)
  async update(@Write() ctx: WriteContext, @Param('id') id: string, @Body(bodyOf(operations.updateBalancer)) body: UpdateBalancerBody, @Res({ passthrough: true }) res: Response) {
    return answerWrite(res, await this.balancers.update(ctx, id, body));
  }

  @Endpoint(operations.rebalanceBalancer)
  async rebalance(@Write() ctx: WriteContext, @Param('id') id: string, @Body(bodyOf(operations.rebalanceBalancer)) body: RebalanceBody, @Res({ passthrough: true }) res: Response) {
    return answerWrite(res, await this.balancers.rebalance(ctx, id, body));
  }

  @Endpoint(operations.deleteBalancer)
  async remove(@Write() ctx: WriteContext, @Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    return answerWrite(res, await this.balancers.remove(ctx, id));
  }
}
