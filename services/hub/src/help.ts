/** The CLI's help in Chinese and English, and errors without stack traces. */
import { Help, type Command, type HelpConfiguration } from 'commander';

const HEADINGS: readonly [RegExp, string][] = [
  [/^Usage:/gm, '用法 Usage:'],
  [/^Arguments:/gm, '参数 Arguments:'],
  [/^Options:/gm, '选项 Options:'],
  [/^Global Options:/gm, '全局选项 Global options:'],
  [/^Commands:/gm, '命令 Commands:'],
  [/\(default: /g, '(默认 default: '],
];

/**
 * Commander's help with its headings in Chinese and English; subcommands inherit it, and show
 * the global `--data-dir` once, under global options.
 */
export const bilingualHelp: HelpConfiguration = {
  showGlobalOptions: true,
  formatHelp(cmd: Command, helper: Help): string {
    const text = Help.prototype.formatHelp.call(helper, cmd, helper);
    return HEADINGS.reduce((t, [from, to]) => t.replace(from, to), text);
  },
};

/**
 * An unexpected error as one line: the message and its cause (e.g. `fetch failed` →
 * `ECONNREFUSED 127.0.0.1:8081`); the stack only with LOG_LEVEL=debug.
 */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return `错误 (error): ${String(err)}`;
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  const line = `错误 (error): ${err.message}${cause}`;
  const debug = process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace';
  return debug && err.stack
    ? `${line}\n${err.stack}`
    : `${line}\n（设置 LOG_LEVEL=debug 查看详情 / set LOG_LEVEL=debug for details）`;
}
