import { compileErrors, dereference, validate } from '@readme/openapi-parser';
import type { OpenAPIV3, OpenAPIV3_1 } from 'openapi-types';
import YAML from 'yaml';
import { redactUrl } from '../../secrets/address.js';

export type OpenApiDocument = OpenAPIV3.Document | OpenAPIV3_1.Document;

/** Reads an OpenAPI 3.0/3.1 description (JSON or YAML), validates it and resolves every $ref. */
export async function loadSpec(source: { url?: string | undefined; text?: string | undefined }, signal?: AbortSignal): Promise<OpenApiDocument> {
  let text = source.text;
  if (!text) {
    if (!source.url) throw new Error('Give the address of the OpenAPI description or its text.');
    let response: Response;
    try {
      response = await fetch(source.url, {
        signal: signal ?? AbortSignal.timeout(15_000),
        headers: { accept: 'application/json, application/yaml, text/yaml, */*' },
      });
    } catch (error) {
      throw new Error(`Could not download the OpenAPI description from ${redactUrl(source.url)}: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
    // The address may carry a key in its query (put back from the key store); messages reach Settings and logs.
    if (!response.ok) throw new Error(`Downloading the OpenAPI description from ${redactUrl(source.url)} failed with HTTP ${response.status}.`);
    text = await response.text();
  }
  let parsed: unknown;
  try {
    parsed = YAML.parse(text);
  } catch (error) {
    throw new Error(`The OpenAPI description is neither JSON nor YAML: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (!parsed || typeof parsed !== 'object') throw new Error('The OpenAPI description is empty.');
  const version = (parsed as { openapi?: unknown; swagger?: unknown }).openapi;
  if ((parsed as { swagger?: unknown }).swagger)
    throw new Error('This is a Swagger 2.0 description; Coda reads OpenAPI 3.0 and 3.1. Convert it first (for example with swagger2openapi).');
  if (typeof version !== 'string' || !/^3\.[01]\./.test(version)) throw new Error(`Unsupported OpenAPI version "${String(version)}": Coda reads 3.0 and 3.1.`);
  // The parsers mutate what they are given; each works on its own copy.
  const result = await validate(structuredClone(parsed) as OpenApiDocument);
  if (!result.valid) throw new Error(compileErrors(result).slice(0, 2000));
  return (await dereference(structuredClone(parsed) as OpenApiDocument)) as OpenApiDocument;
}
