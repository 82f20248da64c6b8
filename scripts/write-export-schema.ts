// Writes resources/export-schema.json from the zod schema (shared/contract/export-schema.ts):
//   npx tsx scripts/write-export-schema.ts
// tests/export.test.ts fails when the file is out of date.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { exportJsonSchema } from '../shared/contract/export-schema.js';

const exportSchemaFile = fileURLToPath(new URL('../resources/export-schema.json', import.meta.url));

// Formatted as the repository's Prettier check wants it.
const options = await resolveConfig(exportSchemaFile);
writeFileSync(exportSchemaFile, await format(JSON.stringify(exportJsonSchema()), { ...options, filepath: exportSchemaFile }));
