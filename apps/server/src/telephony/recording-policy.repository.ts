import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { Org, Prospect } from '../database/entities';

/** What the recording rule of a borrower call reads: the org's choices and prompt, and the lead's property state. */
@Injectable()
export class RecordingPolicyRepository {
  constructor(private readonly em: EntityManager) {}

  async orgChoices(orgId: string): Promise<Pick<Org, 'recordingAllPartyStates' | 'recordingOnePartyStates' | 'disclosurePrompt'>> {
    return this.em.fork().findOneOrFail(Org, { id: orgId }, { fields: ['recordingAllPartyStates', 'recordingOnePartyStates', 'disclosurePrompt'] });
  }

  async propertyState(prospectId: string): Promise<string | null> {
    const prospect = await this.em.fork().findOne(Prospect, { id: prospectId }, { fields: ['propertyState'] });
    return prospect?.propertyState ?? null;
  }
}
