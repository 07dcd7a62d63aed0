export * from './lead.types';
export * from './lead-input.util';
export * from './phone.util';
export * from './work-phone.util';
export * from './caller-id.util';
export * from './eligibility.util';
export * from './ring-all.state-machine';
