import type { ActionPostEnvelope, ActionPostStatus } from '@leadline/contracts';
import type { FieldError } from '../../common/domain-error';

export type { ActionPostEnvelope, ActionPostStatus };

export function actionPostEnvelope(
  status: ActionPostStatus,
  data: { prospectId: string | null; applicationId: string | null } | null,
  message: string,
  errors?: FieldError[],
): ActionPostEnvelope {
  return {
    StatusCode: status,
    Data: data ? { ProspectId: data.prospectId, ApplicationId: data.applicationId } : errors?.length ? { ProspectId: null, ApplicationId: null, Errors: errors } : null,
    Message: message,
    ResponseDate: new Date().toISOString(),
  };
}
