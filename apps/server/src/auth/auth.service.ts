import { Injectable, Logger } from '@nestjs/common';
import { DomainError, ErrorCode } from '../common/domain-error';
import { UserRepository } from '../users/user.repository';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { TokenService } from './token.service';
import type { LoginResult } from '@leadline/contracts';
export type { LoginResult };


// A fixed argon2id hash verified when the email is unknown, so timing does not reveal which emails exist.
const DUMMY_HASH = '$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$oAGadQgJoCUnkcUbXOa9shs5al/hdEHy7XtcQku7QUI';

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly throttle: LoginThrottle,
  ) {}

  /** `address`: the client's address as TRUST_PROXY lets us see it. */
  async login(email: string, password: string, address: string): Promise<LoginResult> {
    const attempt = { account: email.toLowerCase(), address, now: Date.now() };
    // Checked before the (deliberately slow) password hash: a refused try costs nothing.
    const verdict = this.throttle.check(attempt);
    if (!verdict.allowed) {
      this.logger.warn(`login for ${attempt.account} from ${address} refused: too many failures ${verdict.scope === 'account' ? 'for the account' : 'from the address'}`);
      const why = verdict.scope === 'account' ? 'for this account' : 'from your address';
      throw new DomainError(ErrorCode.LoginRateLimited, `Too many failed logins ${why}; retry in ${verdict.retryAfterSeconds} s`, [], { retryAfterSeconds: verdict.retryAfterSeconds });
    }
    const found = await this.users.findForLogin(attempt.account);
    const ok = await this.hasher.verify(found?.passwordHash ?? DUMMY_HASH, password);
    this.throttle.record({ ...attempt, ok: !!found && ok });
    if (!found || !ok) {
      this.logger.warn(`failed login for ${attempt.account} from ${address}`);
      throw new DomainError(ErrorCode.InvalidCredentials, 'Email or password is wrong');
    }
    const { user } = found;
    return {
      accessToken: this.tokens.issue({ sub: user.id, org: user.org.id, role: user.role }),
      tokenType: 'Bearer',
      expiresIn: this.tokens.ttlSeconds,
      user: { id: user.id, name: user.name, email: user.email, role: user.role },
    };
  }
}
