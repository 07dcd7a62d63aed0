import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES, WEBHOOK_LIMITS, WebhookDeliveryStatus, WebhookEventType } from '@leadline/domain';
import { ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { PageQueryDto } from '../users/user.dto';
import type { WebhookAttemptView, WebhookDeliveryView, WebhookSubscriptionView } from '@leadline/contracts';
export type { WebhookAttemptView, WebhookDeliveryView, WebhookSubscriptionView };

const { maxConcurrency, timeoutSeconds } = WEBHOOK_LIMITS;

export class CreateWebhookDto {
  @ApiProperty({ description: 'Where deliveries are POSTed: https:// (required with NODE_ENV=production), or http:// outside production', maxLength: WEBHOOK_LIMITS.urlMaxLength })
  @IsString() @MaxLength(WEBHOOK_LIMITS.urlMaxLength)
  url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true, description: 'The events this subscription receives (at least one)' })
  @IsArray() @ArrayMinSize(1) @ArrayUnique() @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  events!: WebhookEventType[];

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200)
  description?: string | null;

  @ApiPropertyOptional({ description: 'Paused subscriptions get no new events and send nothing; queued deliveries wait for them (default true)' })
  @IsOptional() @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ minimum: maxConcurrency.min, maximum: maxConcurrency.max, description: `Requests in flight to this URL at once, across every server instance (default ${maxConcurrency.default})` })
  @IsOptional() @IsInt() @Min(maxConcurrency.min) @Max(maxConcurrency.max)
  maxConcurrency?: number;

  @ApiPropertyOptional({ minimum: timeoutSeconds.min, maximum: timeoutSeconds.max, description: `Seconds an attempt may take (connect, send, answer) before it counts as failed (default ${timeoutSeconds.default})` })
  @IsOptional() @IsInt() @Min(timeoutSeconds.min) @Max(timeoutSeconds.max)
  timeoutSeconds?: number;
}

export class UpdateWebhookDto extends PartialType(CreateWebhookDto) {}

export class DeliveryQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: WEBHOOK_DELIVERY_STATUSES }) @IsOptional() @IsIn(WEBHOOK_DELIVERY_STATUSES)
  status?: WebhookDeliveryStatus;
}
