import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { nextExtension } from '@leadline/domain';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { Org, User } from '../database/entities';
import { UserRepository } from '../users/user.repository';
import { PasswordHasher } from './password-hasher';

/** On the first start with an empty database: the org and one admin. */
@Injectable()
export class FirstAdminService implements OnApplicationBootstrap {
  private readonly logger = new Logger('FirstStart');

  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (await this.users.hasAnyOrg()) return;
    const generated = !this.config.auth.adminPassword;
    const password = this.config.auth.adminPassword ?? randomBytes(18).toString('base64url');
    const org = new Org();
    org.name = 'Leadline';
    const admin = new User();
    admin.org = org;
    admin.name = 'Administrator';
    admin.email = this.config.auth.adminEmail.toLowerCase();
    admin.role = 'admin';
    admin.extension = nextExtension([]);
    admin.passwordHash = await this.hasher.hash(password);
    await this.users.createOrgWithAdmin(org, admin);
    this.logger.log(`created org ${org.id} and admin ${admin.email}`);
    if (generated) {
      // Printed once, on stdout only (not into the structured log): store it now.
      process.stdout.write(
        `\n  First start: admin ${admin.email} was created with the generated password\n\n      ${password}\n\n  It is not stored anywhere in clear text and will not be shown again.\n\n`,
      );
    }
  }
}
