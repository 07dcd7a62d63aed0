import { MikroORM } from '@mikro-orm/core';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { BetterSqliteDriver } from '@mikro-orm/better-sqlite';
import { Injectable, Logger, Module, OnModuleInit } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppConfig } from '../config/app-config';
import { DbContextModule } from './db-context';
import { mikroOrmOptions } from './mikro-orm.config';

@Injectable()
export class MigrationRunner implements OnModuleInit {
  private readonly logger = new Logger('Database');

  constructor(private readonly orm: MikroORM) {}

  async onModuleInit(): Promise<void> {
    const applied = await this.orm.getMigrator().up();
    if (applied.length) this.logger.log(`applied migrations: ${applied.map((m) => m.name).join(', ')}`);
  }
}

@Module({
  imports: [
    MikroOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        mkdirSync(dirname(config.databasePath), { recursive: true });
        return { ...mikroOrmOptions(config.databasePath), registerRequestContext: true };
      },
      driver: BetterSqliteDriver,
    }),
    DbContextModule,
  ],
  providers: [MigrationRunner],
})
export class DatabaseModule {}
