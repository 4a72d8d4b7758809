package io.kallisto.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The pieces of one-line error messages: quoted values, JSON paths and "did you mean"
 * suggestions. Everything that comes from the input is escaped and cut short here, so that a
 * message never spans lines however odd the input.
 */
final class Messages {
  /** Longest piece of input text quoted in a message. */
  private static final int MAX_QUOTED = 40;

  private Messages() {}

  /** {@code text} as a JSON string literal, cut to {@value #MAX_QUOTED} characters. */
  static String quote(String text) {
    String cut = text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "..." : text;
    StringBuilder out = new StringBuilder(cut.length() + 2).append('"');
    for (int i = 0; i < cut.length(); i++) {
      char c = cut.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          // Other control characters and Unicode line breaks would still end a terminal line.
          if (c < 0x20 || c == 0x85 || c == 0x2028 || c == 0x2029) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** What {@code node} is, for "expected X, got Y": {@code a string ("two")}, {@code null}. */
  static String describe(JsonNode node) {
    if (node.isTextual()) {
      return "a string (" + quote(node.textValue()) + ")";
    }
    if (node.isNumber()) {
      return "a number (" + number(node) + ")";
    }
    if (node.isBoolean()) {
      return "a boolean (" + node.booleanValue() + ")";
    }
    if (node.isNull()) {
      return "null";
    }
    if (node.isArray()) {
      return "an array";
    }
    if (node.isObject()) {
      return "an object";
    }
    return "nothing";
  }

  /** A number node as written in the message: its JSON text, cut short. */
  static String number(JsonNode node) {
    String text = node.toString();
    return text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "..." : text;
  }

  /** Path of field {@code name} in the object at {@code parent}: {@code $.a}, {@code $["b c"]}. */
  static String child(String parent, String name) {
    return name.matches("[A-Za-z_][A-Za-z0-9_]*")
        ? parent + "." + name
        : parent + "[" + quote(name) + "]";
  }

  /** The values as a list of JSON strings: {@code "open", "closed"}. */
  static String quotedList(List<String> values) {
    return values.stream().map(Messages::quote).collect(Collectors.joining(", "));
  }

  /**
   * {@code " (did you mean \"x\"?)"} for the candidate closest to {@code typed}, or an empty
   * string when none is close: at most a third of its letters off (one for short names), case
   * ignored, or {@code typed} is the start of a candidate. Ties go to the earlier candidate.
   */
  static String suggestion(String typed, List<String> candidates) {
    String lower = typed.toLowerCase(Locale.ROOT);
    int limit = Math.max(1, Math.min(3, typed.length() / 3));
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      String other = candidate.toLowerCase(Locale.ROOT);
      int d = lower.length() >= 4 && other.startsWith(lower) ? 0 : distance(lower, other, limit);
      if (d <= limit && d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best == null ? "" : " (did you mean " + quote(best) + "?)";
  }

  /** Levenshtein distance, or {@code limit + 1} as soon as it must exceed {@code limit}. */
  private static int distance(String a, String b, int limit) {
    if (Math.abs(a.length() - b.length()) > limit) {
      return limit + 1;
    }
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      int rowMin = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
        rowMin = Math.min(rowMin, current[j]);
      }
      if (rowMin > limit) {
        return limit + 1;
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
