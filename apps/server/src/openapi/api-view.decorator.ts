import { ApiResponse } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { Page } from '@leadline/contracts';
import type { ApiViewName, ApiViews } from './api-views';

// Response schemas of the routes, by name from api-views.ts. Each decorator also checks at compile
// time that the route returns (a Promise of) what it publishes: a route that changes its answer
// without changing its decorator does not build.

type Route<T> = (...args: never[]) => Promise<T> | T;
type RouteDecorator<T> = <F extends Route<T>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<F>) => void;

export const viewRef = (name: ApiViewName): SchemaObject => ({ $ref: `#/components/schemas/${name}` }) as SchemaObject;

function responds<T>(status: number, schema: SchemaObject): RouteDecorator<T> {
  const decorate = ApiResponse({ status, schema });
  return (target, key, descriptor) => {
    decorate(target, key, descriptor);
  };
}

/** The route answers one `name` (with `status`, 200 by default). */
export function ApiView<K extends ApiViewName>(name: K, status = 200): RouteDecorator<ApiViews[K]> {
  return responds(status, viewRef(name));
}

/** The route answers a list of `name`. */
export function ApiViewList<K extends ApiViewName>(name: K): RouteDecorator<ApiViews[K][]> {
  return responds(200, { type: 'array', items: viewRef(name) });
}

/** The route answers one page of `name` (`?page=&pageSize=`). */
export function ApiPage<K extends ApiViewName>(name: K): RouteDecorator<Page<ApiViews[K]>> {
  return responds(200, {
    type: 'object',
    required: ['items', 'total', 'page', 'pageSize'],
    properties: { items: { type: 'array', items: viewRef(name) }, total: { type: 'integer' }, page: { type: 'integer' }, pageSize: { type: 'integer' } },
  });
}
