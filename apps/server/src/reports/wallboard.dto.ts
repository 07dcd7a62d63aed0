// The wallboard's shape for OpenAPI (each class implements its contract type).
import { ApiProperty } from '@nestjs/swagger';
import { DISTRIBUTION_TYPES, SPEED_STAGES } from '@leadline/domain';
import type { SpeedStage } from '@leadline/domain';
import type { WallboardAgent, WallboardAgentState, WallboardRound, WallboardSnapshot } from '@leadline/contracts';

const STATES: WallboardAgentState[] = ['available', 'ringing', 'on_call', 'calls_off', 'logged_out'];

class WallboardAgentDto implements WallboardAgent {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: STATES }) state!: WallboardAgentState;
  @ApiProperty({ format: 'date-time', description: 'In this state since' }) since!: string;
}

class WallboardRoundDto implements WallboardRound {
  @ApiProperty({ format: 'uuid' }) prospectId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() campaign!: string;
  @ApiProperty({ enum: DISTRIBUTION_TYPES }) distribution!: WallboardRound['distribution'];
  @ApiProperty({ format: 'date-time' }) since!: string;
  @ApiProperty({ description: 'Agent phones ringing for it now' }) ringing!: number;
}

class WallboardLeadsDto {
  @ApiProperty({ description: "Accepted today (org's time zone)" }) today!: number;
  @ApiProperty({ description: 'Accepted in the last 60 minutes' }) lastHour!: number;
  @ApiProperty({ description: "Today's leads taken or assigned" }) taken!: number;
  @ApiProperty({ description: "Today's leads that became lead exceptions" }) exceptions!: number;
  @ApiProperty({ description: "Today's leads not taken and no exception yet" }) open!: number;
}

class WallboardReasonDto {
  @ApiProperty() reason!: string;
  @ApiProperty() leads!: number;
}

class WallboardSpeedDto {
  @ApiProperty({ enum: SPEED_STAGES }) stage!: SpeedStage;
  @ApiProperty() leads!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'ms' }) p50Ms!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'ms' }) p90Ms!: number | null;
}

class WallboardInboundDto {
  @ApiProperty({ description: 'Callers ringing agents or waiting now' }) waiting!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) oldestWaitingSince!: string | null;
  @ApiProperty() answeredToday!: number;
  @ApiProperty({ description: 'Forwarded, voicemail, abandoned or failed today' }) missedToday!: number;
}

class WallboardWinDto {
  @ApiProperty({ format: 'uuid' }) prospectId!: string;
  @ApiProperty() agent!: string;
  @ApiProperty() via!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class WallboardDto implements WallboardSnapshot {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ example: '2025-03-10' }) day!: string;
  @ApiProperty() timeZone!: string;
  @ApiProperty({ type: [WallboardAgentDto] }) agents!: WallboardAgentDto[];
  @ApiProperty({ type: WallboardLeadsDto }) leads!: WallboardLeadsDto;
  @ApiProperty({ type: [WallboardRoundDto] }) rounds!: WallboardRoundDto[];
  @ApiProperty({ type: [WallboardReasonDto] }) exceptionsByReason!: WallboardReasonDto[];
  @ApiProperty({ type: [WallboardSpeedDto] }) speed!: WallboardSpeedDto[];
  @ApiProperty({ type: WallboardInboundDto }) inbound!: WallboardInboundDto;
  @ApiProperty({ type: [WallboardWinDto] }) recentWins!: WallboardWinDto[];
}
