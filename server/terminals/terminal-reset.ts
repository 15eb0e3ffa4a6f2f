// Binary output (`cat` of a binary file, `cat /dev/urandom`) hits escape sequences by chance and
// leaves the pane's terminal in odd states that outlive the program: inside an escape string
// (tmux then swallows all output, the next prompt included, until a terminator or its 5 s
// timeout), the DEC line-drawing charset (letters turn into box pieces), hidden or
// invisible-coloured text, insert mode, a tiny scroll region, mouse reporting that turns clicks
// into typed escapes. A real terminal needs `reset`; a Berth terminal puts itself back before
// every prompt instead, by printing the sequence below (bash's PROMPT_COMMAND, set for the
// pane). It changes nothing visible on a sane terminal: no clearing, the cursor stays put.

/** The reset as a printf format (octal escapes, no single quotes): see each part's comment. */
const SANE_TERMINAL_FORMAT = [
  '\\030', // CAN: abandon any escape sequence or string being read (back to ground state)
  '\\033\\\\', // ST: terminate a string for terminals that ignore CAN there
  '\\033(B\\033)B\\017', // ASCII in G0 and G1, G0 selected (SI)
  '\\033[0m', // plain text attributes (no conceal, default colours)
  '\\033[4l', // replace mode, not insert
  '\\0337\\033[r\\0338', // whole-screen scroll region; DECSC/DECRC keep the cursor where it was
  '\\033[?7h\\033[?25h', // autowrap on, cursor visible
  '\\033[?1l\\033>', // normal cursor and keypad keys
  '\\033[?1000l\\033[?1006l\\033[?1004l\\033[?7727l', // no mouse or focus reporting, no application escape key
].join('');

/** bash's PROMPT_COMMAND for a Berth pane (the image's profile keeps it and adds its own). */
export const SANE_TERMINAL_PROMPT_COMMAND = `printf '${SANE_TERMINAL_FORMAT}'`;
