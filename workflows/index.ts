/** Entry point of the workflow bundle: every workflow type the worker registers. */
export { planWorkflow } from './plan-coordinator';
/** Plans started before manifests; kept until every such plan year has closed. */
export { planYearWorkflow } from './plan-workflow';
export { dutyWorkflow } from './duty-workflow';
export { mailroomWorkflow } from './mailroom-workflow';
