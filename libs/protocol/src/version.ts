/**
 * Version of the control-channel protocol spoken between agents and the control plane.
 * Sent by the agent in `hello`; the control plane refuses agents whose version it does not
 * support (close code 4400) instead of sending them a snapshot they could misread.
 */
export const PROTOCOL_VERSION = 1;

/** Protocol versions this build of the control plane can serve. */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly number[] = [1];
