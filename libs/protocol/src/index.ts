export * from './version';
export * from './config';
export * from './hash';
export * from './messages';
