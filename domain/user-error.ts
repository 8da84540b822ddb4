/**
 * An error the user can fix (a bad plan, argument or environment, an unknown plan or unit): its
 * message is Vietnamese and shown as is, by the CLI on stderr and by the web app on a page.
 */

/** Exit code for input the user can fix (bad plan, bad environment, bad arguments). */
export const EXIT_BAD_INPUT = 2;

export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = EXIT_BAD_INPUT,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
