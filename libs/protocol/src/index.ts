export * from './version';
export * from './config';
export * from './route-regex';
export * from './messages';
export * from './routing/routes';
export * from './routing/normalize-path';
export * from './routing/explain';
