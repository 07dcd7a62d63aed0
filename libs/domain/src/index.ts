export * from './lead.types';
export * from './lead-input.util';
export * from './phone.util';
export * from './work-phone.util';
