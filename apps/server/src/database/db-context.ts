import { RequestContext } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/knex';
import { Global, Injectable, Module } from '@nestjs/common';

/**
 * Runs work that does not come from an HTTP request (ARI events, timers, socket events) in a unit
 * of work of its own, so services written for requests can be called from there too.
 */
@Injectable()
export class DbContext {
  constructor(private readonly em: EntityManager) {}

  run<T>(work: () => Promise<T>): Promise<T> {
    return RequestContext.create(this.em, work);
  }
}

@Global()
@Module({ providers: [DbContext], exports: [DbContext] })
export class DbContextModule {}
