/**
 * Starting a kehoach workflow from outside the worker, typed by the workflow function itself.
 *
 * The name must be an export of the workflow bundle's entry (workflows/index.ts: exactly the types
 * the worker registers) and the options' `args` must fit that function's parameters, so a renamed
 * workflow or a changed input fails the typecheck instead of a running plan. The functions are
 * imported as types only: passing the function value (`client.workflow.start(planWorkflow, …)`)
 * would load workflow code and `@temporalio/workflow` into the CLI, the web app and the simulation,
 * for nothing but its name.
 */
import type { Client, WorkflowHandleWithStartDetails, WorkflowStartOptions } from '@temporalio/client';
import type * as workflows from '../workflows';

export type KehoachWorkflows = typeof workflows;
export type KehoachWorkflowType = keyof KehoachWorkflows & string;

export function startWorkflow<K extends KehoachWorkflowType>(
  client: Client,
  workflowType: K,
  options: WorkflowStartOptions<KehoachWorkflows[K]>,
): Promise<WorkflowHandleWithStartDetails<KehoachWorkflows[K]>> {
  return client.workflow.start<KehoachWorkflows[K]>(workflowType, options);
}
