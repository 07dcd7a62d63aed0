import { cpus, release, totalmem, type as osType } from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  cpuCount: number;
  totalMemoryGiB: number;
  os: string;
  node: string;
  date: string;
}

export function machineInfo(now = new Date()): MachineInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cpuCount: list.length,
    totalMemoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: `${osType()} ${release()}`,
    node: process.version,
    date: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

export function machineMarkdown(m: MachineInfo): string {
  return `${m.cpuCount} × ${m.cpuModel}, ${m.totalMemoryGiB} GiB RAM, ${m.os}, Node ${m.node}; run ${m.date}.`;
}
