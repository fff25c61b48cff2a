// Text from task files (titles, bodies, names, even file names) must never drive the terminal it
// is printed on: an escape sequence could set the clipboard (OSC 52), the window title, move the
// cursor or clear the screen, and a line break could print a line that looks like crewtree's own.

/**
 * ESC-introduced sequences: OSC/DCS/SOS/PM/APC strings up to their terminator (BEL or ST, or the
 * end of the text when unterminated), CSI sequences, and two-character escapes; then the 8-bit
 * C1 forms of the same (0x9B CSI, 0x9D OSC...).
 */
const ESCAPE_SEQUENCE =
  /\u001b[\]PX^_][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b\[[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?|\u001b[\u0020-\u002f]*[\u0030-\u007e]?|[\u0090\u0098\u009d-\u009f][^\u0007\u001b\u009c]*(?:\u0007|\u009c)?|\u009b[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?/g;

/** C0 and C1 controls but tab and line feed, DEL, and the bidirectional overrides that reorder what is shown. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// NOTE: without the g flag, so that test() keeps no lastIndex between calls.
const HAS_CONTROL = new RegExp(CONTROL.source);

const LINE_BREAK = /\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]/g;

/** The text without terminal control sequences; tabs and line feeds stay. */
export function stripControlSequences(text: string): string {
  if (!HAS_CONTROL.test(text)) return text;
  return text.replace(/\r\n/g, '\n').replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '');
}

/** The text on one line, without control sequences: what a title or a log field may print as. */
export function singleLine(text: string): string {
  return stripControlSequences(text.replace(LINE_BREAK, ' '));
}
