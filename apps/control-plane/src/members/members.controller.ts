import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import type { AuthedRequest } from '../auth/auth.guard';
import { Auth, hasRole } from '../auth/roles';
import { Problem } from '../common/problem';
import { answerWrite, Write, type WriteContext } from '../common/write';
import { ZodPipe } from '../common/zod.pipe';
import { createMemberBody, drainBody, OPERATOR_FIELDS, updateMemberBody, type CreateMemberBody, type DrainBody, type UpdateMemberBody } from './member.dto';
import { MembersService } from './members.service';

@ApiTags('members')
@ApiBearerAuth()
@Controller('balancers/:balancerId/members')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get()
  @Auth('viewer')
  list(@Param('balancerId') balancerId: string) {
    return this.members.list(balancerId);
  }

  @Get(':id')
  @Auth('viewer')
  get(@Param('balancerId') balancerId: string, @Param('id') id: string) {
    return this.members.get(balancerId, id);
  }

  @Post()
  @Auth('admin')
  @ApiBody({ schema: z.toJSONSchema(createMemberBody, { io: 'input' }) as object })
  async create(@Write() ctx: WriteContext, @Param('balancerId') balancerId: string, @Body(new ZodPipe(createMemberBody)) body: CreateMemberBody, @Res({ passthrough: true }) res: Response) {
    return answerWrite(res, await this.members.create(ctx, balancerId, body));
  }

  /** Operators may change `state` and `weight`; other fields need an admin. */
  @Patch(':id')
  @Auth('operator')
  @ApiBody({ schema: z.toJSONSchema(updateMemberBody, { io: 'input' }) as object })
  async update(
    @Req() req: AuthedRequest,
    @Write() ctx: WriteContext,
    @Param('balancerId') balancerId: string,
    @Param('id') id: string,
    @Body(new ZodPipe(updateMemberBody)) body: UpdateMemberBody,
    @Res({ passthrough: true }) res: Response,
  ) {
    const adminOnly = Object.keys(body).filter((field) => !OPERATOR_FIELDS.has(field));
    if (adminOnly.length > 0 && !hasRole(req.principal.role, 'admin')) {
      throw new Problem('forbidden', `only an admin may change ${adminOnly.join(', ')}`);
    }
    return answerWrite(res, await this.members.update(ctx, balancerId, id, body));
  }

  /** No new tunnels; with `deadlineMs`, open tunnels are closed paced (close 1001) by then. The member's `drain` shows progress. */
  @Post(':id/drain')
  @HttpCode(200)
  @Auth('operator')
  @ApiBody({ schema: z.toJSONSchema(drainBody, { io: 'input' }) as object })
  async drain(@Write() ctx: WriteContext, @Param('balancerId') balancerId: string, @Param('id') id: string, @Body(new ZodPipe(drainBody)) body: DrainBody, @Res({ passthrough: true }) res: Response) {
    return answerWrite(res, await this.members.drain(ctx, balancerId, id, body));
  }

  @Delete(':id')
  @Auth('admin')
  async remove(@Write() ctx: WriteContext, @Param('balancerId') balancerId: string, @Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    return answerWrite(res, await this.members.remove(ctx, balancerId, id));
  }
}
