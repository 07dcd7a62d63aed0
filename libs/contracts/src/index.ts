// Types shared by the server, the dashboard and the desk daemon.
export type { DistributionType, ProspectStatus, Role } from '@leadline/domain';
export * from './socket-events';
export * from './presence';
export * from './dial-mode';
export * from './views';
export * from './reports';
export * from './webhooks';
export * from './live-calls';
