/**
 * The monitor's keys: a pure map from a key press (as ink reports it) to what it does. The footer lists them.
 * @module
 */
import { type MonitorAction, type MonitorState, runInScope, selectedJob } from "./state.ts";

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

/** A key of the footer's help: when it applies, and how much it matters when space is short (1 most). */
interface HelpKey {
  key: string;
  what: (state: MonitorState) => string;
  when?: (state: MonitorState) => boolean;
  rank: 1 | 2 | 3;
}

const onJobs = (s: MonitorState) => s.focus === "jobs";
const HELP: readonly HelpKey[] = [
  { key: "↑↓jk", what: (s) => (s.overlay === "report" ? "scroll" : "move"), rank: 1 },
  { key: "tab", what: () => "pane", rank: 2 },
  { key: "⏎", what: (s) => (onJobs(s) ? "details" : "jobs"), rank: 1 },
  { key: "l", what: () => "log", when: onJobs, rank: 1 },
  { key: "o", what: () => "children", when: (s) => onJobs(s) && !!selectedJob(s)?.array, rank: 1 },
  { key: "v", what: () => "report", when: (s) => !!runInScope(s), rank: 1 },
  { key: "s", what: () => "status", rank: 2 },
  { key: "/", what: () => "name", rank: 2 },
  { key: "c", what: () => "stop", when: onJobs, rank: 2 },
  { key: "r", what: () => "refresh", rank: 3 },
  {
    key: "esc",
    what: () => "back",
    when: (s) => s.overlay !== "none" || !!s.children || !!s.runFilter,
    rank: 1, // the way out of a nested view
  },
  { key: "q", what: () => "quit", rank: 1 },
];

/** Every key the footer can list, as [key, what it does] (the table of docs/tui.md). */
export const KEY_HELP: readonly [string, string][] = [
  ["↑↓jk", "move"],
  ["tab", "pane"],
  ["⏎", "details"],
  ["l", "log"],
  ["o", "children"],
  ["v", "report"],
  ["s", "status"],
  ["/", "name"],
  ["c", "stop"],
  ["r", "refresh"],
  ["esc", "back"],
  ["q", "quit"],
];

/**
 * The footer's key help for a state and a width: the keys that apply there, two spaces apart when they fit, else
 * one; when even that is too wide, the least needed keys (refresh first) are left out, never the ones that apply
 * to the selection only.
 */
export function keyHelp(state: MonitorState, columns: number): string {
  let keys = HELP.filter((k) => !k.when || k.when(state));
  for (const rank of [3, 2] as const) {
    const items = keys.map((k) => `${k.key} ${k.what(state)}`);
    if (items.join("  ").length <= columns) return items.join("  ");
    if (items.join(" ").length <= columns) return items.join(" ");
    // Drop the least needed, from the end, until the line fits.
    const dropping = [...keys].reverse().filter((k) => k.rank === rank);
    for (const k of dropping) {
      keys = keys.filter((x) => x !== k);
      if (keys.map((x) => `${x.key} ${x.what(state)}`).join(" ").length <= columns) break;
    }
  }
  return keys.map((k) => `${k.key} ${k.what(state)}`).join(" ");
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
    case "o":
      return { type: "openChildren" };
    case "v":
      return state.overlay === "report" ? { type: "closeOverlay" } : { type: "openReport" };
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
