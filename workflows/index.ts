/** Entry point of the workflow bundle: every workflow type the worker registers. */
export { planYearWorkflow } from './plan-workflow';
export { dutyWorkflow } from './duty-workflow';
export { mailroomWorkflow } from './mailroom-workflow';
