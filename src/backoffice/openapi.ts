import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import openapiDocument from './openapi.json' with { type: 'json' };

/** The OpenAPI 3.1 document of the back-office API (src/backoffice/openapi.json): the contract. */
export const openapi = openapiDocument as unknown as OpenApiDocument;

export interface OpenApiDocument {
  readonly openapi: string;
  readonly components: { readonly schemas: Record<string, object> };
  readonly paths: Record<string, Record<string, OpenApiOperation>>;
}

export interface OpenApiOperation {
  readonly operationId: string;
  readonly requestBody?: { readonly content: Record<string, { readonly schema: { $ref: string } }> };
  readonly responses: Record<string, { readonly content?: Record<string, { readonly schema: object }> }>;
}

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

const ROOT_ID = 'https://ors.example/backoffice/openapi.json';

/**
 * One ajv instance holding every component schema of the document. OpenAPI 3.1 schemas are JSON
 * Schema 2020-12; the `#/components/schemas/X` references are mapped onto `$defs` of one root.
 */
export function createOpenApiAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: false, strictRequired: false, allowUnionTypes: true });
  addFormats(ajv);
  const defs = JSON.parse(JSON.stringify(openapi.components.schemas).replaceAll('#/components/schemas/', '#/$defs/')) as Record<string, object>;
  ajv.addSchema({ $id: ROOT_ID, $defs: defs });
  return ajv;
}

/** A validator for `#/components/schemas/<name>` or any JSON Schema object of the document. */
export function schemaValidator<T>(ajv: Ajv2020, schema: object): ValidateFunction<T> {
  const s = schema as { $ref?: string };
  if (typeof s.$ref === 'string' && s.$ref.startsWith('#/components/schemas/')) {
    const v = ajv.getSchema<T>(`${ROOT_ID}#/$defs/${s.$ref.slice('#/components/schemas/'.length)}`);
    if (!v) throw new Error(`no schema ${s.$ref}`);
    return v;
  }
  const rewritten = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${ROOT_ID}#/$defs/`)) as object;
  return ajv.compile<T>(rewritten);
}

/** The field an ajv error concerns, dotted (`seq`, `features.0.id`). */
export function fieldOfAjvError(e: ErrorObject): string {
  const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const p = e.params as { missingProperty?: string; additionalProperty?: string };
  const extra = e.keyword === 'required' ? p.missingProperty : e.keyword === 'additionalProperties' ? p.additionalProperty : undefined;
  return [base, extra].filter(Boolean).join('.') || 'body';
}

/**
 * An ajv error as the rule's coded message (backoffice.field.*, en + de), never ajv's English text:
 * whatever reaches a German screen is German.
 */
export function codedAjvError(e: ErrorObject): { code: string; field: string; params: Record<string, string | number> } {
  const field = fieldOfAjvError(e);
  const p = e.params as { limit?: number; type?: string; format?: string; pattern?: string; allowedValues?: readonly unknown[] };
  const rule = (): [string, Record<string, string | number>?] => {
    switch (e.keyword) {
      case 'required':
        return ['required'];
      case 'additionalProperties':
        return ['unknown'];
      case 'type':
        return [p.type === 'integer' ? 'integer' : 'type'];
      case 'minimum':
      case 'exclusiveMinimum':
        return ['minimum', { limit: Number(p.limit) }];
      case 'maximum':
      case 'exclusiveMaximum':
        return ['maximum', { limit: Number(p.limit) }];
      case 'minLength':
        return ['min-length', { limit: Number(p.limit) }];
      case 'maxLength':
        return ['max-length', { limit: Number(p.limit) }];
      case 'maxItems':
        return ['max-items', { limit: Number(p.limit) }];
      case 'format':
        return [p.format === 'date' ? 'date' : 'form'];
      case 'pattern':
        return [p.pattern === '^\\d{4}-\\d{2}-\\d{2}$' ? 'date' : 'form'];
      case 'enum':
        return ['one-of', { allowed: (p.allowedValues ?? []).map(String).join(', ') }];
      default:
        return ['invalid'];
    }
  };
  const [name, extra] = rule();
  return { code: `backoffice.field.${name}`, field, params: { field, ...extra } };
}
