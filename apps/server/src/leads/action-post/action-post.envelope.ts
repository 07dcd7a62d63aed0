import type { FieldError } from '../../common/domain-error';

/** 1 = created or updated (or matched an unassigned prospect), 2 = matched but nothing to update, 0 = refused. */
export type ActionPostStatus = 0 | 1 | 2;

export interface ActionPostEnvelope {
  StatusCode: ActionPostStatus;
  Data: { ProspectId: string | null; ApplicationId: string | null; Errors?: FieldError[] } | null;
  Message: string;
  ResponseDate: string;
}

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
