package io.kallisto.cli;

/**
 * Text read from a file (a trace's thread names and header facts), made safe to print on a
 * terminal. A crafted trace could otherwise send ESC sequences that clear or retitle the
 * terminal, a CR that overwrites what was printed, or Unicode direction overrides that make
 * text read backwards. Each such character becomes a visible escape; the rest is kept.
 *
 * <pre>{@code
 * out.println("thread " + TerminalText.safe(trace.threads().get(id)));
 * // "a\u001b[2Jb" prints as: a\x1b[2Jb
 * }</pre>
 *
 * <p>Escaped: the C0 controls and DEL as {@code \xNN} ({@code \t \n \r} as themselves), the C1
 * controls, line and paragraph separators, direction marks, embeddings, overrides and isolates,
 * and the byte-order mark as {@code \}{@code uNNNN}; a backslash is doubled, so that an escape
 * can always be told from text that looks like one. Safe from any thread.
 */
public final class TerminalText {
  private TerminalText() {}

  /** {@code text} with every character a terminal would act on written as an escape. */
  public static String safe(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String escape = escape(c);
      if (escape != null && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (escape != null) {
          out.append(escape);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }

  private static String escape(char c) {
    switch (c) {
      case '\\':
        return "\\\\";
      case '\t':
        return "\\t";
      case '\n':
        return "\\n";
      case '\r':
        return "\\r";
      default:
        break;
    }
    if (c < 0x20 || c == 0x7f) {
      return String.format(java.util.Locale.ROOT, "\\x%02x", (int) c);
    }
    if ((c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029 || c == 0x200e || c == 0x200f
        || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0xfeff) {
      return String.format(java.util.Locale.ROOT, "\\u%04x", (int) c);
    }
    return null;
  }
}
