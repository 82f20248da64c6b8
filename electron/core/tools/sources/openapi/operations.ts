import type { OpenAPIV3 } from 'openapi-types';
import type { OpenApiDocument } from './spec.js';

export interface OperationTool {
  name: string;
  description: string;
  method: string;
  path: string;
  parameters: { name: string; in: 'path' | 'query' | 'header'; required: boolean }[];
  hasBody: boolean;
  /** JSON Schema of the arguments: the parameters by name, and the JSON body as `body`. */
  inputSchema: Record<string, unknown>;
  readOnly: boolean;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** Each operation becomes a tool; what cannot be called over JSON is listed with the reason instead. */
export function toOperationTools(doc: OpenApiDocument): { tools: OperationTool[]; skipped: string[] } {
  const tools: OperationTool[] = [];
  const skipped: string[] = [];
  const used = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    if (!item) continue;
    for (const method of METHODS) {
      const op = (item as Record<string, unknown>)[method] as OpenAPIV3.OperationObject | undefined;
      if (!op) continue;
      const label = `${method.toUpperCase()} ${path}`;
      const params = [...((item as OpenAPIV3.PathItemObject).parameters ?? []), ...(op.parameters ?? [])] as OpenAPIV3.ParameterObject[];
      const cookie = params.find((p) => p.in === 'cookie');
      if (cookie) {
        skipped.push(`${label}: cookie parameters (${cookie.name}) are not supported.`);
        continue;
      }
      const properties: Record<string, unknown> = {};
      const required: string[] = [];
      for (const p of params) {
        properties[p.name] = { ...(p.schema as object), ...(p.description ? { description: p.description } : {}) };
        if (p.required || p.in === 'path') required.push(p.name);
      }
      let hasBody = false;
      const body = op.requestBody as OpenAPIV3.RequestBodyObject | undefined;
      if (body) {
        const json = Object.entries(body.content ?? {}).find(([type]) => /json/i.test(type));
        if (!json) {
          skipped.push(`${label}: request bodies of type ${Object.keys(body.content ?? {}).join(', ') || 'unknown'} are not supported (only JSON).`);
          continue;
        }
        hasBody = true;
        properties['body'] = { ...(json[1].schema as object), ...(body.description ? { description: body.description } : {}) };
        if (body.required) required.push('body');
      }
      const name = uniqueName(op.operationId ?? `${method}_${path}`, used);
      tools.push({
        name,
        description: [op.summary, op.description].filter(Boolean).join('\n') || label,
        method: method.toUpperCase(),
        path,
        parameters: params.map((p) => ({ name: p.name, in: p.in as 'path' | 'query' | 'header', required: Boolean(p.required || p.in === 'path') })),
        hasBody,
        inputSchema: { type: 'object', properties, required, additionalProperties: false },
        readOnly: method === 'get' || method === 'head' || method === 'options',
      });
    }
  }
  return { tools, skipped };
}

function uniqueName(raw: string, used: Set<string>): string {
  const base =
    raw
      .replace(/[^A-Za-z0-9_-]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 48) || 'operation';
  let name = base;
  for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
  used.add(name);
  return name;
}
