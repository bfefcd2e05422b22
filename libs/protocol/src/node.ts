// Node-only helpers of the contract (node:crypto). Import them from '@switchboard/protocol/node';
// everything in '@switchboard/protocol' stays importable by the browser (the dashboard).
export * from './hash';
