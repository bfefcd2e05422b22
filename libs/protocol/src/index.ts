import './browser-jitless';
export * from './version';
export * from './config';
export * from './route-regex';
export * from './order';
export * from './messages';
export * from './api/index';
export * from './config-diff';
