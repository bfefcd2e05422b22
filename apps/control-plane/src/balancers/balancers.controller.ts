import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { Auth } from '../auth/roles';
import { answerWrite, Write, type WriteContext } from '../common/write';
import { ZodPipe } from '../common/zod.pipe';
import { createBalancerBody, rebalanceBody, updateBalancerBody, type CreateBalancerBody, type RebalanceBody, type UpdateBalancerBody } from './balancer.dto';
import { BalancersService } from './balancers.service';

@ApiTags('balancers')
@ApiBearerAuth()
@Controller('balancers')
export class BalancersController {
  constructor(private readonly balancers: BalancersService) {}

  @Get()
  @Auth('viewer')
  list() {
    return this.balancers.list();
  }

  @Get(':id')
  @Auth('viewer')
  get(@Param('id') id: string) {
    return this.balancers.get(id);
  }

  @Post()
  @Auth('admin')
  @ApiBody({ schema: z.toJSONSchema(createBalancerBody, { io: 'input' }) as object })
  async create(@Write() ctx: WriteContext, @Body(new ZodPipe(createBalancerBody)) body: CreateBalancerBody, @Res({ passthrough: true }) res: Response) {
    return answerWrite(res, await this.balancers.create(ctx, body));
  }

  @Patch(':id')
  @Auth('admin')
  @ApiBody({ schema: z.toJSONSchema(updateBalancerBody, { io: 'input' }) as object })
  async update(@Write() ctx: WriteContext, @Param('id') id: string, @Body(new ZodPipe(updateBalancerBody)) body: UpdateBalancerBody, @Res({ passthrough: true }) res: Response) {
    return answerWrite(res, await this.balancers.update(ctx, id, body));
  }

  /** After a scale-out: agents close a paced fraction of tunnels on members above their fair share (close 1012). */
  @Post(':id/rebalance')
  @HttpCode(200)
  @Auth('operator')
  @ApiBody({ schema: z.toJSONSchema(rebalanceBody, { io: 'input' }) as object })
  async rebalance(@Write() ctx: WriteContext, @Param('id') id: string, @Body(new ZodPipe(rebalanceBody)) body: RebalanceBody, @Res({ passthrough: true }) res: Response) {
    return answerWrite(res, await this.balancers.rebalance(ctx, id, body));
  }

  @Delete(':id')
  @Auth('admin')
  async remove(@Write() ctx: WriteContext, @Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    return answerWrite(res, await this.balancers.remove(ctx, id));
  }
}
