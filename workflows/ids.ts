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
