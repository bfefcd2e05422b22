import { DynamicModule, Module } from '@nestjs/common';
import { AgentsModule } from './agents/agents.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { BalancersModule } from './balancers/balancers.module';
import { ConfigStoreModule } from './config-store/config-store.module';
import type { Env } from './config/env';
import { SettingsModule } from './config/settings.module';
import { databaseConfig } from './database/database-config';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { MembersModule } from './members/members.module';
import { MetricsModule } from './metrics/metrics.module';
import { RevisionsModule } from './revisions/revisions.module';
import { RoutesModule } from './routes/routes.module';
import { StatsModule } from './stats/stats.module';
import { TokensModule } from './tokens/tokens.module';

/** The control plane: one module per feature, over the database at `databaseUrl`. */
@Module({})
export class AppModule {
  static forRoot(env: Env, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        SettingsModule.forEnv(env),
        DatabaseModule.forConfig(databaseConfig(env, databaseUrl)),
        MetricsModule,
        AuthModule,
        RevisionsModule,
        BalancersModule,
        MembersModule,
        RoutesModule,
        ConfigStoreModule,
        TokensModule,
        AuditModule,
        StatsModule,
        AgentsModule,
        HealthModule,
      ],
    };
  }
}
