import { UserError } from '../core/kernel/errors.js';

/** Resolves on Ctrl-C or a service manager's stop, so in-flight gradings can finish first. */
export function untilStopped(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** A setting a command cannot run without: one line naming it and where to find it. */
export const need = (value: string | undefined, name: string, where: string): string => {
  if (!value) throw new UserError(`setting ${name}: required (${where})`);
  return value;
};
