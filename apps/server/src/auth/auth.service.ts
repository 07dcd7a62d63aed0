import { Injectable, Logger } from '@nestjs/common';
import { DomainError, ErrorCode } from '../common/domain-error';
import { UserRepository } from '../users/user.repository';
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
  ) {}

  async login(email: string, password: string): Promise<LoginResult> {
    const found = await this.users.findForLogin(email.toLowerCase());
    const ok = await this.hasher.verify(found?.passwordHash ?? DUMMY_HASH, password);
    if (!found || !ok) {
      this.logger.warn(`failed login for ${email}`);
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
