import { isTimeZone } from '@leadline/domain';
import { ValidateBy, ValidationOptions } from 'class-validator';

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
