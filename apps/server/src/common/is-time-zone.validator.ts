import { ValidateBy, ValidationOptions } from 'class-validator';

/** Whether Intl knows `zone` as a time zone (IANA names such as America/Chicago, and UTC). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

/** An IANA time zone name; null/undefined pass (use IsOptional). */
export function IsTimeZone(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTimeZone',
      validator: {
        validate: (value: unknown) => value === null || value === undefined || (typeof value === 'string' && isTimeZone(value)),
        defaultMessage: () => 'must be an IANA time zone name such as America/Chicago',
      },
    },
    options,
  );
}
