/**
 * The JSON Schema of the plan file, for editor completion (YAML language servers read
 * `# yaml-language-server: $schema=./plan.schema.json`). Generated from the zod schema so that the
 * two never disagree; a test compares the committed file with this output.
 */
import { z } from 'zod';
import { planFileSchema } from './schema';

export const PLAN_SCHEMA_FILE = 'plans/plan.schema.json';

export function planJsonSchemaText(): string {
  const schema = z.toJSONSchema(planFileSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
  return `${JSON.stringify({ ...schema, $id: 'https://kehoach.example/plan.schema.json' }, null, 2)}\n`;
}
