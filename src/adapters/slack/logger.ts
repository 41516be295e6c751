import { LogLevel, type Logger } from '@slack/bolt';

const ORDER = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];

/**
 * Bolt's, the WebClient's and Socket Mode's logs as "sparring: slack …" lines on stderr. Muted
 * while starting: a failure there becomes one UserError line naming the setting, and the
 * libraries' own retries and stack-less errors would only repeat it less clearly.
 */
export function createSlackLogger(level: LogLevel, write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)) {
  let current = level;
  let muted = false;
  const emit =
    (at: LogLevel) =>
    (...msg: unknown[]) => {
      if (muted || ORDER.indexOf(at) < ORDER.indexOf(current)) return;
      write(`sparring: slack ${at}: ${msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' ')}`);
    };
  const logger: Logger = {
    debug: emit(LogLevel.DEBUG),
    info: emit(LogLevel.INFO),
    warn: emit(LogLevel.WARN),
    error: emit(LogLevel.ERROR),
    setLevel: (l) => void (current = l),
    getLevel: () => current,
    setName: () => undefined,
  };
  return { logger, mute: (on: boolean) => void (muted = on) };
}
