/**
 * The monitor's keys: a pure map from a key press (as ink reports it) to what it does. The footer lists them.
 * @module
 */
import type { MonitorAction, MonitorState } from "./state.ts";

/** The subset of ink's key flags the monitor reads. */
export interface KeyFlags {
  upArrow?: boolean;
  downArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
}

/** What a key does: a state action, or one of the effects the app carries out. */
export type Command = MonitorAction | { type: "quit" } | { type: "refresh" };

/** The keys listed in the footer, as [key, what it does]. */
export const KEY_HELP: readonly [string, string][] = [
  ["↑↓jk", "move"],
  ["tab", "pane"],
  ["⏎", "details"],
  ["l", "log"],
  ["s", "status"],
  ["/", "name"],
  ["c", "stop"],
  ["r", "refresh"],
  ["q", "quit"],
];

/** The footer's key help for a width: two spaces between keys when they fit, else one (80 columns). */
export function keyHelp(columns: number): string {
  const items = KEY_HELP.map(([key, what]) => `${key} ${what}`);
  const wide = items.join("  ");
  return wide.length <= columns ? wide : items.join(" ");
}

/** Maps a key press to a command, or undefined when the key does nothing. */
export function keyToCommand(state: MonitorState, input: string, key: KeyFlags): Command | undefined {
  if (key.ctrl && input === "c") return { type: "quit" };
  if (state.nameDraft !== undefined) {
    if (key.return) return { type: "nameCommit" };
    if (key.escape) return { type: "nameCancel" };
    if (key.backspace || key.delete) return { type: "nameBackspace" };
    if (input && !key.ctrl && !key.meta && !key.tab) return { type: "nameInput", text: input };
    return undefined;
  }
  if (state.confirm) return input === "y" || input === "Y" ? { type: "confirmStop" } : { type: "declineStop" };
  if (key.upArrow || input === "k") return { type: "move", delta: -1 };
  if (key.downArrow || input === "j") return { type: "move", delta: 1 };
  if (key.pageUp) return { type: "move", delta: -10 };
  if (key.pageDown) return { type: "move", delta: 10 };
  if (key.tab) return { type: "focusNext" };
  if (key.return) return { type: "openDetails" };
  if (key.escape) return { type: "closeOverlay" };
  switch (input) {
    case "q":
      return { type: "quit" };
    case "l":
      return state.overlay === "logs" ? { type: "closeOverlay" } : { type: "openLogs" };
    case "s":
      return { type: "cycleStatus" };
    case "/":
      return { type: "startNameFilter" };
    case "c":
      return { type: "askStop" };
    case "r":
      return { type: "refresh" };
  }
  return undefined;
}

/**
 * Splits a chunk of several typed characters (fast typing, a paste, or a script's `send-keys`) into single key
 * presses; ink reports such a chunk as one input.
 */
export function splitKeys(input: string, key: KeyFlags): [string, KeyFlags][] {
  if (input.length <= 1 || key.ctrl || key.meta || input.startsWith("\x1b")) return [[input, key]];
  return [...input].map((c): [string, KeyFlags] => {
    if (c === "\t") return ["", { tab: true }];
    if (c === "\r" || c === "\n") return ["", { return: true }];
    if (c === "\x7f" || c === "\b") return ["", { backspace: true }];
    return [c, {}];
  });
}
