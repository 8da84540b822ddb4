/** The period key of an ad-hoc report request: `yc-<request id>` ("yêu cầu"). No dependencies: workflow code uses it. */
export function requestPeriodKey(requestId: string): string {
  return `yc-${requestId}`;
}
