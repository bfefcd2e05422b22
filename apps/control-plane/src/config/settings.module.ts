import { DynamicModule, Global, Module } from '@nestjs/common';
import type { Env } from './env';

/** Injection token of the validated environment (see env.ts). */
export const ENV = Symbol('ENV');

/** Makes the validated environment injectable as `@Inject(ENV) env: Env`. */
@Global()
@Module({})
export class SettingsModule {
  static forEnv(env: Env): DynamicModule {
    return { module: SettingsModule, providers: [{ provide: ENV, useValue: env }], exports: [ENV] };
  }
}
