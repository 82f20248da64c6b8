import { createRequire } from 'node:module';
import type * as AjvModule from 'ajv';
import type { Ajv, Options } from 'ajv';

/**
 * A new Ajv, its module loaded on the first call rather than when core opens (it is needed only once a tool is
 * called or a form answered). Ajv ships CommonJS, so it loads synchronously here.
 */
export function newAjv(options: Options): Ajv {
  const { Ajv: AjvClass } = createRequire(import.meta.url)('ajv') as typeof AjvModule;
  return new AjvClass(options);
}
