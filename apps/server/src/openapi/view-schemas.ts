import type { OpenAPIObject } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import schemas from './view-schemas.json';

/** The document with the schemas of every answer (generated from api-views.ts) among its components. */
export function withViewSchemas(doc: OpenAPIObject): OpenAPIObject {
  doc.components = { ...doc.components, schemas: { ...(schemas as Record<string, SchemaObject>), ...doc.components?.schemas } };
  return doc;
}
