export * from './version';
export * from './config';
export * from './route-regex';
export * from './order';
export * from './messages';
export * from './api/config-document';
export * from './api/config-diff';
export * from './config-diff';
