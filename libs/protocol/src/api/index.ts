// The REST contract: request and response schemas per resource, and the operations table that
// the control plane routes, checks and documents (OpenAPI) and the typed client is generated from.
export * from './common';
export * from './problem';
export * from './role';
export * from './health';
export * from './balancer';
export * from './member';
export * from './route';
export * from './agent';
export * from './stats';
export * from './revision';
export * from './audit';
export * from './token';
export * from './config-document';
export * from './config-diff';
export * from './operations';
