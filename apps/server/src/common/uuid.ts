const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a string has the shape of a UUID (the ids Leadline generates), before it reaches a query. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
