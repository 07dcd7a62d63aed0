import { normalizePhone } from '@leadline/domain';
import { ValidateBy, ValidationOptions } from 'class-validator';

/** A phone number libphonenumber accepts (US by default); null/undefined pass (use IsOptional). */
export function IsPhone(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isPhone',
      validator: {
        validate: (value: unknown) => value === null || value === undefined || (typeof value === 'string' && normalizePhone(value) !== undefined),
        defaultMessage: () => 'must be a valid phone number',
      },
    },
    options,
  );
}
