// First: configures zod for browsers before any schema below is built (see browser-zod.ts).
import './browser-zod';
export * from './version';
export * from './config';
export * from './route-regex';
export * from './messages';
export * from './routing/routes';
export * from './routing/normalize-path';
export * from './routing/explain';
