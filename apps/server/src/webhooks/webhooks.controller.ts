import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Page } from '@leadline/contracts';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { validationFailed } from '../common/domain-error';
import { ApiPage, ApiView, ApiViewList } from '../openapi/api-view.decorator';
import { CreateWebhookDto, DeliveryQueryDto, UpdateWebhookDto, WebhookDeliveryView, WebhookSubscriptionView } from './webhook.dto';
import { WebhooksService } from './webhooks.service';

const uuid = (field: string) => new ParseUUIDPipe({ exceptionFactory: () => validationFailed([{ field, message: 'must be a UUID' }]) });

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('webhooks')
@Roles('admin')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get()
  @ApiOperation({ summary: "The org's webhook subscriptions (secrets are never listed)" })
  @ApiViewList('WebhookSubscriptionView')
  list(@CurrentUser() me: AuthUser): Promise<WebhookSubscriptionView[]> {
    return this.webhooks.list(me.orgId);
  }

  @Post()
  @ApiOperation({ summary: 'Subscribe a URL to events; the answer carries the signing secret, shown this once' })
  @ApiView('WebhookSubscriptionView', 201)
  create(@CurrentUser() me: AuthUser, @Body() dto: CreateWebhookDto): Promise<WebhookSubscriptionView> {
    return this.webhooks.create(me.orgId, dto);
  }

  @Get(':id')
  @ApiView('WebhookSubscriptionView')
  get(@CurrentUser() me: AuthUser, @Param('id', uuid('id')) id: string): Promise<WebhookSubscriptionView> {
    return this.webhooks.get(me.orgId, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change URL, events, description, pause (active: false) or resume' })
  @ApiView('WebhookSubscriptionView')
  update(@CurrentUser() me: AuthUser, @Param('id', uuid('id')) id: string, @Body() dto: UpdateWebhookDto): Promise<WebhookSubscriptionView> {
    return this.webhooks.update(me.orgId, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@CurrentUser() me: AuthUser, @Param('id', uuid('id')) id: string): Promise<void> {
    return this.webhooks.remove(me.orgId, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'A new signing secret, shown this once; the previous one also signs for 24 h' })
  @ApiView('WebhookSubscriptionView')
  rotateSecret(@CurrentUser() me: AuthUser, @Param('id', uuid('id')) id: string): Promise<WebhookSubscriptionView> {
    return this.webhooks.rotateSecret(me.orgId, id);
  }

  @Post(':id/test')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queue a webhook.test delivery to this subscription; its result shows in the delivery log' })
  @ApiView('WebhookTestView', 202)
  test(@CurrentUser() me: AuthUser, @Param('id', uuid('id')) id: string): Promise<{ deliveryId: string; eventId: string }> {
    return this.webhooks.test(me.orgId, id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'Delivery log: each delivery with its attempts (status code or error, latency), newest first' })
  @ApiPage('WebhookDeliveryView')
  deliveries(@CurrentUser() me: AuthUser, @Param('id', uuid('id')) id: string, @Query() q: DeliveryQueryDto): Promise<Page<WebhookDeliveryView>> {
    return this.webhooks.deliveryLog(me.orgId, id, q);
  }

  @Post(':id/deliveries/replay-dead')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send every dead-lettered delivery again (same event ids), with a new retry window' })
  @ApiView('ReplayedView')
  replayDead(@CurrentUser() me: AuthUser, @Param('id', uuid('id')) id: string): Promise<{ replayed: number }> {
    return this.webhooks.replayDead(me.orgId, id);
  }

  @Post(':id/deliveries/:deliveryId/replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send one delivered or dead-lettered delivery again (same event id); 409 while it is still being tried' })
  @ApiView('ReplayedView')
  replay(@CurrentUser() me: AuthUser, @Param('id', uuid('id')) id: string, @Param('deliveryId', uuid('deliveryId')) deliveryId: string): Promise<{ replayed: number }> {
    return this.webhooks.replay(me.orgId, id, deliveryId);
  }
}
