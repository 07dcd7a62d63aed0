import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import type { Role } from '@leadline/domain';
import { AppConfig } from '../config/app-config';
import { DomainError, ErrorCode } from '../common/domain-error';

export interface AccessTokenClaims {
  sub: string;
  org: string;
  role: Role;
  /** Expiry, seconds since the epoch (set by issue()). */
  exp?: number;
}

@Injectable()
export class TokenService {
  private readonly jwt: JwtService;

  constructor(private readonly config: AppConfig) {
    // A key object, made once: given the secret as a string, jsonwebtoken first tries it as a PEM
    // public key (createPublicKey, which throws) and then makes the secret key, on every verify.
    const secret = createSecretKey(Buffer.from(config.auth.jwtSecret));
    this.jwt = new JwtService({ secret, signOptions: { expiresIn: config.auth.jwtTtlSeconds, algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } });
  }

  issue(claims: AccessTokenClaims): string {
    return this.jwt.sign(claims);
  }

  verify(token: string): AccessTokenClaims {
    try {
      return this.jwt.verify<AccessTokenClaims>(token);
    } catch {
      throw new DomainError(ErrorCode.Unauthenticated, 'Access token is invalid or expired; log in again');
    }
  }

  get ttlSeconds(): number {
    return this.config.auth.jwtTtlSeconds;
  }
}
