/** Regenerates plans/plan.schema.json: `npx tsx domain/plan/write-json-schema.ts`. */
import { writeFileSync } from 'node:fs';
import { PLAN_SCHEMA_FILE, planJsonSchemaText } from './json-schema';

writeFileSync(PLAN_SCHEMA_FILE, planJsonSchemaText());
process.stdout.write(`Đã ghi ${PLAN_SCHEMA_FILE}\n`);
