/**
 * Text going to and coming from Slack. Everything the bot sends passes through here so that
 * nothing it echoes (an answer, a quote, a display name) can ping a channel or a person:
 * Slack's control sequences (<!channel>, <@U…>, <!subteam^…>, links) only exist inside < >,
 * so escaping &, < and > as Slack asks turns them into inert text, and a zero-width space after
 * @ keeps a raw "@channel" from being linkified by clients or by `link_names`.
 */
import { splitText as splitLines, surrogateSafeCut, truncate as truncateText } from '../text-split.js';

const ZWSP = '\u200B';

export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** "@channel", "@here", "@everyone" become look-alikes that notify nobody. */
export function defuseBroadcasts(text: string): string {
  return text.replace(/@(channel|here|everyone)\b/gi, `@${ZWSP}$1`);
}

/** Our Markdown subset (**bold**, _italic_, `code`) as safe Slack mrkdwn. */
export function toMrkdwn(markdown: string): string {
  return defuseBroadcasts(escapeSlack(markdown)).replace(/\*\*(.+?)\*\*/g, '*$1*');
}

/** For plain_text objects: Slack does not parse them, but a raw @channel still reads as one. */
export function toPlain(text: string): string {
  return defuseBroadcasts(text.replace(/\*\*(.+?)\*\*/g, '$1'));
}

/** Escaped mrkdwn is never cut inside an &entity; (nor a surrogate pair). */
function entitySafeCut(text: string, at: number): number {
  let cut = at;
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp >= 0 && amp > cut - 6 && text.indexOf(';', amp) >= cut) cut = amp;
  return surrogateSafeCut(text, cut);
}

/** Cuts to at most `max` characters, never inside an &entity; or a surrogate pair, ending with "…". */
export const truncate = (text: string, max: number): string => truncateText(text, max, entitySafeCut);

/** Splits already-escaped mrkdwn into chunks of at most `max` characters (several blocks, not an error). */
export const splitText = (text: string, max: number): string[] => splitLines(text, max, entitySafeCut);

/**
 * Slack message text as the person typed it: Slack sends "<" as &lt; and mentions and links
 * as <…> tokens. Answers are stored and graded in this readable form; when they are echoed
 * back, toMrkdwn makes them inert again.
 */
export function fromSlackText(text: string): string {
  return text
    .replace(/<([^<>]*)>/g, (_, inner: string) => {
      const [target = '', label] = inner.split('|', 2);
      if (target.startsWith('@')) return `@${label ?? target.slice(1)}`;
      if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
      if (target.startsWith('!subteam^')) return label ?? '@group';
      if (target.startsWith('!date^')) return label ?? '';
      if (target.startsWith('!')) return `@${target.slice(1)}`;
      return label && label !== target ? `${label} (${target})` : target;
    })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
