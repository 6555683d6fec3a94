/** Tiny coloured console logger for the dev runner (no dependencies). */

const useColour =
  process.env.NO_COLOR === undefined &&
  (process.env.FORCE_COLOR !== undefined ? process.env.FORCE_COLOR !== '0' : Boolean(process.stdout.isTTY));

const CODES = {
  reset: 0,
  bold: 1,
  dim: 2,
  red: 31,
  green: 32,
  yellow: 33,
  blue: 34,
  magenta: 35,
  cyan: 36,
  gray: 90,
} as const;

export type Colour = keyof typeof CODES;

export function paint(colour: Colour, text: string): string {
  return useColour ? `\u001b[${CODES[colour]}m${text}\u001b[0m` : text;
}

const TAG_WIDTH = 10; // "[temporal]"

/** `[name]` padded to a common width and coloured, used as the prefix of every line. */
export function tag(name: string, colour: Colour): string {
  return paint(colour, `[${name}]`.padEnd(TAG_WIDTH));
}

const DEV_TAG = tag('dev', 'blue');

export const log = {
  info(msg: string): void {
    console.log(`${DEV_TAG} ${msg}`);
  },
  ok(msg: string): void {
    console.log(`${DEV_TAG} ${paint('green', '✔')} ${msg}`);
  },
  warn(msg: string): void {
    console.warn(`${DEV_TAG} ${paint('yellow', `warning: ${msg}`)}`);
  },
  error(msg: string): void {
    console.error(`${DEV_TAG} ${paint('red', `error: ${msg}`)}`);
  },
};

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
