import { MikroORM } from '@mikro-orm/core';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { DynamicModule, Injectable, Logger, Module, OnModuleInit } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppConfig } from '../config/app-config';
import { DbContextModule } from './db-context';
import { driverFor, mikroOrmOptions } from './mikro-orm.config';

@Injectable()
export class MigrationRunner implements OnModuleInit {
  private readonly logger = new Logger('Database');

  constructor(private readonly orm: MikroORM) {}

  async onModuleInit(): Promise<void> {
    const applied = await this.orm.getMigrator().up();
    if (applied.length) this.logger.log(`applied migrations: ${applied.map((m) => m.name).join(', ')}`);
  }
}

/** MikroORM on the configured database (SQLite file or PostgreSQL), migrated at start. */
@Module({})
export class DatabaseModule {
  static register(config: AppConfig): DynamicModule {
    const { database } = config;
    return {
      module: DatabaseModule,
      imports: [
        MikroOrmModule.forRootAsync({
          useFactory: () => {
            if (database.kind === 'sqlite') mkdirSync(dirname(database.path), { recursive: true });
            return { ...mikroOrmOptions(database), registerRequestContext: true };
          },
          driver: driverFor(database),
        }),
        DbContextModule,
      ],
      providers: [MigrationRunner],
    };
  }
}
