import { Global, Module } from '@nestjs/common';
import { CallingRulesRepository } from './calling-rules.repository';
import { CallingRulesService } from './calling-rules.service';

/** State calling rules (docs/compliance.md). */
@Global()
@Module({
  providers: [CallingRulesRepository, CallingRulesService],
  exports: [CallingRulesService],
})
export class ComplianceModule {}
