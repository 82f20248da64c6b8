import type { Ajv, ValidateFunction } from 'ajv';
import { newAjv } from '../util/ajv.js';
import type { McpTool } from './sources/source.js';

/**
 * Validators of one tool list, compiled on first use. Each list has an Ajv of its own: Ajv keeps every schema it
 * compiled (and refuses a second one with the same `$id`), so a server's new schemas need a fresh one.
 */
export class Validators {
  /** Made on the first call to one of the list's tools. */
  private ajv: Ajv | null = null;
  private readonly compiled = new Map<string, ValidateFunction>();

  for(tool: McpTool & { id: string }): ValidateFunction {
    let validate = this.compiled.get(tool.id);
    if (!validate) {
      this.ajv ??= newAjv({ allErrors: true, strict: false });
      validate = this.ajv.compile(tool.inputSchema);
      this.compiled.set(tool.id, validate);
    }
    return validate;
  }
}
