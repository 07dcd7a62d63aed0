// Test-data factories for the integration suites: build request bodies and create records through
// the real REST API, so no test copies object literals around.
export * from './campaigns';
export * from './leads';
export * from './users';
export * from './dial-mode';
export * from './report-data';
export * from './webhooks';
