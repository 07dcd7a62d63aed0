import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { checkLogin, DEFAULT_LOGIN_THROTTLE, EMPTY_LOGIN_THROTTLE, LoginAttempt, LoginThrottleState, LoginVerdict, pruneLoginThrottle, recordLogin } from '@leadline/domain';

/**
 * The login budgets of this process (rules in libs/domain login-throttle.util.ts). In memory: with
 * several instances each counts its own share, which multiplies an attacker's budget by the number
 * of instances but never locks anyone out for longer.
 */
@Injectable()
export class LoginThrottle implements OnModuleDestroy {
  private state: LoginThrottleState = EMPTY_LOGIN_THROTTLE;
  private readonly pruner: NodeJS.Timeout;

  constructor() {
    this.pruner = setInterval(() => (this.state = pruneLoginThrottle(this.state, Date.now(), DEFAULT_LOGIN_THROTTLE)), 60_000);
    this.pruner.unref();
  }

  check(attempt: LoginAttempt): LoginVerdict {
    return checkLogin(this.state, attempt, DEFAULT_LOGIN_THROTTLE);
  }

  record(attempt: LoginAttempt & { ok: boolean }): void {
    this.state = recordLogin(this.state, attempt, DEFAULT_LOGIN_THROTTLE);
  }

  onModuleDestroy(): void {
    clearInterval(this.pruner);
  }
}
