/**
 * Workflow IDs are derived from the plan, the year and the duty, so starting the same plan twice
 * addresses the same workflows instead of creating new ones.
 */
export function planWorkflowId(planId: string, year: number): string {
  return `kehoach:${planId}:${year}`;
}

export function mailroomWorkflowId(planId: string, year: number): string {
  return `${planWorkflowId(planId, year)}:mail`;
}

export function dutyWorkflowId(planId: string, year: number, dutyId: string): string {
  return `${planWorkflowId(planId, year)}:duty:${dutyId}`;
}

export type WorkflowIdParts =
  | { role: 'plan'; planId: string; year: number }
  | { role: 'mailroom'; planId: string; year: number }
  | { role: 'duty'; planId: string; year: number; dutyId: string };

const WORKFLOW_ID = /^kehoach:([^:]+):(\d{4})(?::(mail)|:duty:([^:]+))?$/;

/** What a kehoach workflow id addresses (e.g. an id read from the Web UI or a visibility list). */
export function parseWorkflowId(id: string): WorkflowIdParts | undefined {
  const match = WORKFLOW_ID.exec(id);
  if (!match) return undefined;
  const [, planId, year, mail, dutyId] = match as unknown as [string, string, string, string | undefined, string | undefined];
  if (mail) return { role: 'mailroom', planId, year: Number(year) };
  if (dutyId) return { role: 'duty', planId, year: Number(year), dutyId };
  return { role: 'plan', planId, year: Number(year) };
}
