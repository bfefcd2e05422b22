import { DynamicModule, Global, Module } from '@nestjs/common';
import { DATABASE_CONFIG, type DatabaseConfig } from './database-config';
import { PrismaService } from './prisma.service';

/** Provides PrismaService for the database that main.ts (or a test) resolved. */
@Global()
@Module({})
export class DatabaseModule {
  static forConfig(config: DatabaseConfig): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [{ provide: DATABASE_CONFIG, useValue: config }, PrismaService],
      exports: [PrismaService, DATABASE_CONFIG],
    };
  }
}
