import { LocalPresenceMapping } from '../database/entities';
import { NumberWithMappings } from './local-presence.repository';
import type { LocalPresenceNumberView } from '@leadline/contracts';
import type { LocalPresenceMappingView } from '@leadline/contracts';
export type { LocalPresenceMappingView };
export type { LocalPresenceNumberView };


export const toNumberView = ({ number, mappings }: NumberWithMappings): LocalPresenceNumberView => ({
  id: number.id,
  number: number.number,
  areaCodes: mappings.map((m) => m.areaCode),
  mappings: mappings.map((m) => ({ id: m.id, areaCode: m.areaCode })),
  createdAt: number.createdAt.toISOString(),
});

export const toMappingView = (m: LocalPresenceMapping): LocalPresenceMappingView => ({ id: m.id, numberId: m.number.id, number: m.number.number, areaCode: m.areaCode });
