/**
 * An error whose message is meant for the person using the bot: shown as one line,
 * never with a stack trace. Anything else that escapes is a bug and is logged.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export const isUserError = (err: unknown): err is UserError => err instanceof UserError;
