import { Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { AppConfig } from '../config/app-config';

const VERSION = 'v1';

/**
 * Keeps desk phones' SIP passwords readable by the server alone, so a provisioning file can carry
 * the password the phone needs while the database holds neither it in clear nor a key to it.
 * AES-256-GCM with a key derived (HKDF) from JWT_SECRET, which lives outside the database (env or
 * the data dir's jwt-secret file, shared by every instance). A stolen database or backup without
 * that secret gives only ciphertext (docs/security.md). A new JWT_SECRET makes the stored ones
 * unreadable: the server then gives the user a fresh password at the phone's next fetch.
 */
@Injectable()
export class SipPasswordCipher {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = Buffer.from(hkdfSync('sha256', config.auth.jwtSecret, 'leadline', 'sip password encryption v1', 32));
  }

  encrypt(password: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(password, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64url'), data.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  /** null when it cannot be read (another key, or not ours). */
  decrypt(value: string): string | null {
    const [version, iv, data, tag] = value.split('.');
    if (version !== VERSION || !iv || !data || !tag) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}
