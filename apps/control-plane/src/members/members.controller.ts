import { Body, Controller, Param, Req, Res } from '@nestjs/common';
import { MEMBER_OPERATOR_FIELDS, operations, type CreateMemberBody, type DrainBody, type UpdateMemberBody } from '@switchboard/protocol';
import type { Response } from 'express';
import type { AuthedRequest } from '../auth/auth.guard';
import { hasRole } from '../auth/roles';
import { bodyOf, Endpoint } from '../common/endpoint';
import { Problem } from '../common/problem';
import { answerWrite, Write, type WriteContext } from '../common/write';
import { MembersService } from './members.service';

@Controller()
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Endpoint(operations.listMembers)
  list(@Param('balancerId') balancerId: string) {
    return this.members.list(balancerId);
  }

  @Endpoint(operations.getMember)
  get(@Param('balancerId') balancerId: string, @Param('id') id: string) {
    return this.members.get(balancerId, id);
  }

  @Endpoint(operations.createMember)
  async create(@Write() ctx: WriteContext, @Param('balancerId') balancerId: string, @Body(bodyOf(operations.createMember)) body: CreateMemberBody, @Res({ passthrough: true }) res: Response) {
    return answerWrite(res, await this.members.create(ctx, balancerId, body));
  }

  /** Operators may change `state` and `weight`; other fields need an admin. */
  @Endpoint(operations.updateMember)
  async update(
    @Req() req: AuthedRequest,
    @Write() ctx: WriteContext,
    @Param('balancerId') balancerId: string,
    @Param('id') id: string,
    @Body(bodyOf(operations.updateMember)) body: UpdateMemberBody,
    @Res({ passthrough: true }) res: Response,
  ) {
    const adminOnly = Object.keys(body).filter((field) => !MEMBER_OPERATOR_FIELDS.has(field));
    if (adminOnly.length > 0 && !hasRole(req.principal.role, 'admin')) {
      throw new Problem('forbidden', `only an admin may change ${adminOnly.join(', ')}`);
    }
    return answerWrite(res, await this.members.update(ctx, balancerId, id, body));
  }

  @Endpoint(operations.drainMember)
  async drain(@Write() ctx: WriteContext, @Param('balancerId') balancerId: string, @Param('id') id: string, @Body(bodyOf(operations.drainMember)) body: DrainBody, @Res({ passthrough: true }) res: Response) {
    return answerWrite(res, await this.members.drain(ctx, balancerId, id, body));
  }

  @Endpoint(operations.deleteMember)
  async remove(@Write() ctx: WriteContext, @Param('balancerId') balancerId: string, @Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    return answerWrite(res, await this.members.remove(ctx, balancerId, id));
  }
}
