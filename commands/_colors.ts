/**
 * Terminal colours: the few ANSI styles ezbatch prints, with picocolors' exact output (a nested close is re-opened,
 * so `red("a " + dim("b") + " c")` stays red after `b`). Our own so that no command loads an npm package for them.
 * @module
 */

/** A style: the text wrapped in its codes, or unchanged when colour is off. */
export type Style = (input: unknown) => string;

/** Colour functions (identity when colour is off). */
export interface Colors {
  /** True when the functions add colour. */
  isColorSupported: boolean;
  bold: Style;
  dim: Style;
  italic: Style;
  underline: Style;
  red: Style;
  green: Style;
  yellow: Style;
  blue: Style;
  magenta: Style;
  cyan: Style;
  gray: Style;
}

function style(open: string, close: string, replace = open): Style {
  return (input) => {
    const text = `${input}`;
    let index = text.indexOf(close, open.length);
    if (index < 0) return open + text + close;
    let result = "";
    let cursor = 0;
    do {
      result += text.substring(cursor, index) + replace;
      cursor = index + close.length;
      index = text.indexOf(close, cursor);
    } while (index >= 0);
    return open + result + text.substring(cursor) + close;
  };
}

const plain: Style = (input) => `${input}`;

const ON: Colors = {
  isColorSupported: true,
  bold: style("\x1b[1m", "\x1b[22m", "\x1b[22m\x1b[1m"),
  dim: style("\x1b[2m", "\x1b[22m", "\x1b[22m\x1b[2m"),
  italic: style("\x1b[3m", "\x1b[23m"),
  underline: style("\x1b[4m", "\x1b[24m"),
  red: style("\x1b[31m", "\x1b[39m"),
  green: style("\x1b[32m", "\x1b[39m"),
  yellow: style("\x1b[33m", "\x1b[39m"),
  blue: style("\x1b[34m", "\x1b[39m"),
  magenta: style("\x1b[35m", "\x1b[39m"),
  cyan: style("\x1b[36m", "\x1b[39m"),
  gray: style("\x1b[90m", "\x1b[39m"),
};

const OFF: Colors = {
  isColorSupported: false,
  bold: plain,
  dim: plain,
  italic: plain,
  underline: plain,
  red: plain,
  green: plain,
  yellow: plain,
  blue: plain,
  magenta: plain,
  cyan: plain,
  gray: plain,
};

/** The colour functions, on or off. */
export function createColors(enabled: boolean): Colors {
  return enabled ? ON : OFF;
}
