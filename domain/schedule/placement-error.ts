/**
 * A duty whose dates the expander cannot place (a working day that does not exist in that month, a
 * reminder that would come after the deadline, a date in a year without calendar data, ...). The
 * path points into the plan file so the validator can show the line.
 */
export class PlacementError extends Error {
  override readonly name = 'PlacementError';

  constructor(
    message: string,
    readonly path: readonly (string | number)[],
  ) {
    super(message);
  }
}
