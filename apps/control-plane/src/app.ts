import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { AppModule } from './app.module';
import { AuthService } from './auth/auth.service';
import { ProblemFilter } from './common/problem.filter';
import { configBodyParser } from './config-store/config-body';
import type { Env } from './config/env';
import { PinoLogger } from './common/pino-logger';
import { RevisionsService } from './revisions/revisions.service';

/**
 * Builds the control plane exactly as production runs it (used by main.ts and by tests):
 * routes under /api/v1 (except /healthz, /readyz, /metrics), problem+json errors, an
 * X-Request-Id on every response, OpenAPI at /api/openapi.json and /api/docs, revision 0 and the
 * bootstrap admin token in place. With SWITCHBOARD_TLS_CERT_FILE/_KEY_FILE the server is HTTPS:
 * the API, OpenAPI, metrics and the agent channel (wss) share its one port. The caller listens.
 */
export async function createApp(env: Env, databaseUrl: string): Promise<INestApplication> {
  const cert = env.SWITCHBOARD_TLS_CERT_FILE;
  const key = env.SWITCHBOARD_TLS_KEY_FILE;
  const httpsOptions = cert && key ? { cert: cert.pem, key: key.pem } : undefined;
  const app = await NestFactory.create(AppModule.forRoot(env, databaseUrl), { logger: new PinoLogger(env.LOG_LEVEL), bodyParser: true, httpsOptions });
  app.setGlobalPrefix('api/v1', { exclude: ['healthz', 'readyz', 'metrics'] });
  app.useGlobalFilters(new ProblemFilter());
  app.use('/api/v1/config', configBodyParser());
  app.use((req: Request, res: Response, next: NextFunction) => {
    res.setHeader('X-Request-Id', req.header('x-request-id') ?? randomUUID());
    next();
  });
  const document = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('Switchboard').setVersion('1').addBearerAuth().build());
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/openapi.json', useGlobalPrefix: false });
  await app.get(RevisionsService).ensureInitial();
  await app.get(AuthService).bootstrapAdmin(env.SWITCHBOARD_ADMIN_TOKEN);
  return app;
}
