// The Action Post answer the Campaigns page's test lead reads; the other REST answer shapes are in
// @leadline/contracts (libs/contracts/src/views.ts).

/** The Action Post answer (Insellerate's envelope). */
export interface ActionPostEnvelope {
  StatusCode: 0 | 1 | 2;
  Data: { ProspectId: string | null; ApplicationId: string | null; Errors?: { field: string; message: string }[] } | null;
  Message: string;
  ResponseDate: string;
}
