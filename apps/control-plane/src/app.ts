import type { INestApplication } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { AppModule } from './app.module';
import { AuthService } from './auth/auth.service';
import { API_PREFIX, unprefixedPaths } from './common/endpoint';
import { ProblemFilter } from './common/problem.filter';
import { configBodyParser } from './config-store/config-body';
import { ResponseCheckInterceptor } from './common/response-check';
import type { Env } from './config/env';
import { PinoLogger } from './common/pino-logger';
import { buildOpenApiDocument } from './openapi/document';
import { RevisionsService } from './revisions/revisions.service';

/**
 * Builds the control plane exactly as production runs it (used by main.ts and by tests):
 * routes under /api/v1 (except /healthz, /readyz, /metrics), problem+json errors, an
 * X-Request-Id on every response, the OpenAPI document generated from the contract's operations
 * table at /api/openapi.json with Swagger UI at /api/docs, responses checked against their
 * schemas with SWITCHBOARD_CHECK_RESPONSES=1, revision 0 and the bootstrap admin token in place.
 * With SWITCHBOARD_TLS_CERT_FILE/_KEY_FILE the server is HTTPS: the API, OpenAPI, metrics and
 * the agent channel (wss) share its one port. The caller listens.
 */
export async function createApp(env: Env, databaseUrl: string): Promise<INestApplication> {
  const cert = env.SWITCHBOARD_TLS_CERT_FILE;
  const key = env.SWITCHBOARD_TLS_KEY_FILE;
  const httpsOptions = cert && key ? { cert: cert.pem, key: key.pem } : undefined;
  const app = await NestFactory.create(AppModule.forRoot(env, databaseUrl), { logger: new PinoLogger(env.LOG_LEVEL), bodyParser: true, httpsOptions });
  app.setGlobalPrefix(API_PREFIX.slice(1), { exclude: unprefixedPaths() });
  app.useGlobalFilters(new ProblemFilter());
  app.use('/api/v1/config', configBodyParser());
  if (env.SWITCHBOARD_CHECK_RESPONSES) app.useGlobalInterceptors(new ResponseCheckInterceptor(app.get(Reflector)));
  app.use((req: Request, res: Response, next: NextFunction) => {
    res.setHeader('X-Request-Id', req.header('x-request-id') ?? randomUUID());
    next();
  });
  // Built on the first request for it (then kept); Swagger UI's assets come from swagger-ui-dist in node_modules, never a CDN.
  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument() as unknown as OpenAPIObject, { jsonDocumentUrl: 'api/openapi.json', useGlobalPrefix: false });
  await app.get(RevisionsService).ensureInitial();
  await app.get(AuthService).bootstrapAdmin(env.SWITCHBOARD_ADMIN_TOKEN);
  return app;
}
