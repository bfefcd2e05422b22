import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { MeController } from './me.controller';
import { Revocations } from './revocations.service';

@Global()
@Module({
  controllers: [MeController],
  providers: [AuthService, Revocations, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, Revocations],
})
export class AuthModule {}
