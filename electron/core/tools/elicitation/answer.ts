import type { Ajv, ValidateFunction } from 'ajv';
import { CodaError, contentProblems, FORMAT_CHECKS, withDefaults, type ElicitationContent, type ElicitationSchema } from '../../../../shared/index.js';
import { newAjv } from '../../util/ajv.js';

let ajv: Ajv | null = null;
/** Made when the first form is answered, with MCP's string formats. */
function formAjv(): Ajv {
  if (!ajv) {
    ajv = newAjv({ allErrors: true, strict: false });
    for (const [format, check] of Object.entries(FORMAT_CHECKS)) ajv.addFormat(format, check);
  }
  return ajv;
}
/** Servers ask the same question again and again; compiling its schema once is enough. */
const compiled = new Map<string, ValidateFunction>();

/**
 * The content to send for an accepted form: empty fields take the schema's defaults, then the whole is checked
 * against the schema the server sent (ajv, with MCP's string formats). Anything that does not fit is refused
 * with each field's problem in words (details.fields), so the user can fix it and answer again.
 */
export function completeAnswer(serverLabel: string, schema: ElicitationSchema, content: ElicitationContent): ElicitationContent {
  const filled = withDefaults(schema, content);
  const validate = validator(schema);
  const fields = contentProblems(schema, filled);
  if (validate(filled) && Object.keys(fields).length === 0) return filled;
  for (const error of validate.errors ?? []) {
    const name = error.instancePath.slice(1).split('/')[0] || (error.params as { missingProperty?: string }).missingProperty || '(form)';
    fields[name] ??= error.message ?? 'is invalid';
  }
  const summary = Object.entries(fields).map(([name, problem]) => `${schema.properties[name]?.title ?? name} ${problem}`);
  throw new CodaError('validation', `That answer does not fit what "${serverLabel}" asked: ${summary.join('; ')}.`, { fields });
}

function validator(schema: ElicitationSchema): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    validate = formAjv().compile({ ...schema, additionalProperties: false });
    if (compiled.size > 200) compiled.clear();
    compiled.set(key, validate);
  }
  return validate;
}
