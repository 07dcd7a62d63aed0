// USB presence lights, the Node-only part: the node-hid transport (the one place node-hid is used)
// and the recording transport (simulated lights writing to a file). The desk daemon imports this;
// the dashboard never does (ESLint and its tsconfig keep it out).
export * from './transport/node-hid.transport';
export * from './transport/recording.transport';
