// Types shared by the server, the dashboard and the desk daemon (socket.io events arrive here
// with the distribution and presence features).
export type { DistributionType, ProspectStatus, Role } from '@leadline/domain';
