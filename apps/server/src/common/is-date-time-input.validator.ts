import { DATE_TIME_INPUT_MESSAGE, MAX_DATE_TIME_INPUT_LENGTH, parseDateTimeInput } from '@leadline/domain';
import { ValidateBy, ValidationOptions } from 'class-validator';

/**
 * A date or date-time that parseDateTimeInput reads (with or without a zone). The shape only: the
 * service reads the value in the org's time zone (UTC here is any zone: a real wall time is real in
 * every zone).
 */
export function IsDateTimeInput(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDateTimeInput',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && value.length <= MAX_DATE_TIME_INPUT_LENGTH && parseDateTimeInput(value, { timeZone: 'UTC' }) !== null,
        defaultMessage: (args) => `${args?.property ?? 'value'} ${DATE_TIME_INPUT_MESSAGE}`,
      },
    },
    options,
  );
}
