/**
 * Version of this agent build, sent in `hello` and exposed on the admin port.
 * Kept in step with the root package.json by hand: the agent has no package.json of its own.
 */
export const AGENT_VERSION = '0.1.0';
