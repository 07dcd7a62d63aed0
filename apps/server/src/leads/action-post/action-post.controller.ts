import { Body, Controller, Headers, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../../auth/public.decorator';
import { ActionPostEnvelope } from './action-post.envelope';
import { ActionPostService, LEAD_CONTENT_TYPES, unsupportedLeadType } from './action-post.service';
import { ApiView } from '../../openapi/api-view.decorator';

const text = { type: 'string' } as const;
const scalar = { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] };
const ACTION_POST_BODY = {
  type: 'object',
  properties: { FirstName: text, LastName: text, MobilePhone: text, HomePhone: text, WorkPhone: text, Email: text, PropertyState: text, LoanPurpose: text, LoanAmount: { oneOf: [{ type: 'number' }, { type: 'string' }] }, LeadProvider: text },
  additionalProperties: scalar,
  example: { FirstName: 'Ada', LastName: 'Lovelace', MobilePhone: '(512) 555-0142', PropertyState: 'TX', LoanPurpose: 'Purchase', LoanAmount: 350000 },
};

@ApiTags('action-post')
@Controller('action-post')
export class ActionPostController {
  constructor(private readonly actionPost: ActionPostService) {}

  @Public()
  @Post(':campaignId')
  @HttpCode(200)
  @ApiOperation({ summary: "Post a lead to a campaign (JSON or form fields); answers in Insellerate's envelope" })
  @ApiHeader({ name: 'X-Api-Key', required: false, description: 'Campaign key: send it here (preferred: headers stay out of access logs)' })
  @ApiQuery({ name: 'key', required: false, description: 'Campaign key, for vendors that can only send a URL (X-Api-Key is preferred)' })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiView('ActionPostEnvelope')
  @ApiBody({ description: "The lead's fields; keys in any common spelling (MobilePhone, mobile_phone, cell …); other fields are kept as the lead's extra fields", schema: ACTION_POST_BODY })
  post(
    @Param('campaignId') campaignId: string,
    @Headers('x-api-key') headerKey: string | undefined,
    @Query('key') queryKey: string | undefined,
    @Req() req: Request,
    @Body() body: unknown,
  ): Promise<ActionPostEnvelope> {
    if (!req.is(LEAD_CONTENT_TYPES)) throw unsupportedLeadType(req.headers['content-type']);
    // req.ip: the client's address as TRUST_PROXY lets us see it (bad-key budget per address).
    return this.actionPost.post(campaignId, headerKey ?? queryKey, body, req.ip ?? 'unknown');
  }
}
