package io.kallisto.notebook.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A doc comment as JShell returns it (the text between {@code /**} and its end, without the
 * leading stars) made readable: as HTML for frontends that render it, and as wrapped plain text
 * for the tooltip that shows only text. Inline tags become code or text ({@code {@code x}},
 * {@code {@link A#b() label}}); block tags ({@code @param}, {@code @return}, {@code @throws},
 * {@code @see}, ...) are grouped under headings.
 *
 * <pre>{@code
 * JavadocText doc = JavadocText.parse(" Queues {@code callback}.\n @param callback what to run");
 * doc.plain(80);  // "Queues callback.\n\nParameters:\n  callback - what to run"
 * }</pre>
 */
final class JavadocText {
  private static final Pattern PRE = Pattern.compile("(?is)<pre[^>]*>(.*?)</pre>");
  private static final Pattern BLOCK_TAG = Pattern.compile("^\\s*@(\\w+)\\s*(.*)$", Pattern.DOTALL);
  private static final Map<String, String> HEADINGS = Map.of(
      "param", "Parameters", "return", "Returns", "throws", "Throws", "exception", "Throws",
      "see", "See also", "since", "Since", "deprecated", "Deprecated", "apiNote", "API note",
      "implNote", "Implementation note", "implSpec", "Implementation requirements");

  /** The main description, as HTML with the inline tags converted. */
  private final String description;
  /** Block tags by heading, in order of first use; each value an HTML fragment. */
  private final Map<String, List<String>> blocks;

  private JavadocText(String description, Map<String, List<String>> blocks) {
    this.description = description;
    this.blocks = blocks;
  }

  /** Parses a raw doc comment. */
  static JavadocText parse(String raw) {
    List<String> lines = new ArrayList<>();
    for (String line : raw.split("\n", -1)) {
      lines.add(line.startsWith(" ") ? line.substring(1) : line); // the space after each '*'
    }
    StringBuilder main = new StringBuilder();
    List<StringBuilder> tags = new ArrayList<>();
    int preDepth = 0;
    for (String line : lines) {
      if (preDepth == 0 && BLOCK_TAG.matcher(line).matches()) {
        tags.add(new StringBuilder(line.strip()));
      } else if (tags.isEmpty()) {
        main.append(line).append('\n');
      } else {
        tags.get(tags.size() - 1).append('\n').append(line);
      }
      String lower = line.toLowerCase(Locale.ROOT);
      preDepth = Math.max(0, preDepth + count(lower, "<pre") - count(lower, "</pre>"));
    }
    Map<String, List<String>> blocks = new LinkedHashMap<>();
    for (StringBuilder tag : tags) {
      Matcher m = BLOCK_TAG.matcher(tag);
      if (!m.matches()) {
        continue;
      }
      String name = m.group(1);
      String body = m.group(2).strip();
      if (name.equals("param") || name.equals("throws") || name.equals("exception")) {
        String[] split = body.split("\\s+", 2);
        body = "<code>" + escape(split[0]) + "</code>" + (split.length > 1 ? " - "
            + inline(split[1]) : "");
      } else if (name.equals("see")) {
        body = body.startsWith("<") || body.startsWith("\"") ? inline(body)
            : "<code>" + escape(reference(body)) + "</code>";
      } else {
        body = inline(body);
      }
      blocks.computeIfAbsent(HEADINGS.getOrDefault(name, "@" + name), k -> new ArrayList<>())
          .add(body);
    }
    return new JavadocText(inline(main.toString().strip()), blocks);
  }

  /** The comment as an HTML fragment. */
  String html() {
    StringBuilder out = new StringBuilder(description);
    if (!blocks.isEmpty()) {
      out.append("\n<dl>");
      for (Map.Entry<String, List<String>> e : blocks.entrySet()) {
        out.append("\n<dt>").append(escape(e.getKey())).append(":</dt>");
        for (String item : e.getValue()) {
          out.append("\n<dd>").append(item).append("</dd>");
        }
      }
      out.append("\n</dl>");
    }
    return out.toString();
  }

  /** The comment as plain text wrapped at {@code width} columns. */
  String plain(int width) {
    StringBuilder out = new StringBuilder(toPlain(description, width, ""));
    for (Map.Entry<String, List<String>> e : blocks.entrySet()) {
      if (out.length() > 0) {
        out.append("\n\n");
      }
      out.append(e.getKey()).append(':');
      for (String item : e.getValue()) {
        out.append('\n').append(toPlain(item, width, "  "));
      }
    }
    return out.toString();
  }

  // ---- inline tags -------------------------------------------------------------------------

  /** Converts inline tags to HTML, leaving the comment's own HTML as it is. */
  static String inline(String text) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      int open = text.indexOf("{@", i);
      if (open < 0) {
        out.append(text, i, text.length());
        break;
      }
      out.append(text, i, open);
      int depth = 0;
      int close = -1;
      for (int j = open; j < text.length(); j++) {
        char c = text.charAt(j);
        if (c == '{') {
          depth++;
        } else if (c == '}' && --depth == 0) {
          close = j;
          break;
        }
      }
      if (close < 0) {
        out.append(text, open, text.length());
        break;
      }
      String tag = text.substring(open + 2, close);
      int space = firstSpace(tag);
      String name = space < 0 ? tag : tag.substring(0, space);
      String arg = space < 0 ? "" : tag.substring(space + 1);
      out.append(inlineTag(name, arg));
      i = close + 1;
    }
    return out.toString();
  }

  private static String inlineTag(String name, String arg) {
    switch (name) {
      case "code":
        return "<code>" + escape(arg.startsWith("\n") ? arg.substring(1) : arg) + "</code>";
      case "literal":
        return escape(arg);
      case "link":
      case "linkplain": {
        String a = arg.strip();
        int space = firstSpace(a);
        String ref = space < 0 ? a : a.substring(0, space);
        String label = space < 0 ? reference(ref) : a.substring(space + 1).strip();
        return name.equals("link") ? "<code>" + escape(label) + "</code>" : escape(label);
      }
      case "value":
        return "<code>" + escape(reference(arg.strip())) + "</code>";
      case "summary":
      case "index":
        return inline(arg);
      default:
        return ""; // {@inheritDoc} is resolved by JShell; {@docRoot} has no meaning here
    }
  }

  /** A reference as a reader writes it: {@code A#b(int)} as {@code A.b(int)}, {@code #c} as c. */
  private static String reference(String ref) {
    return ref.startsWith("#") ? ref.substring(1) : ref.replace('#', '.');
  }

  private static int firstSpace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  // ---- HTML to text ------------------------------------------------------------------------

  /** HTML to wrapped text; {@code <pre>} blocks keep their lines, indented by four spaces. */
  static String toPlain(String html, int width, String indent) {
    List<String> paragraphs = new ArrayList<>();
    Matcher pre = PRE.matcher(html);
    int at = 0;
    while (pre.find()) {
      paragraphs.addAll(prose(html.substring(at, pre.start())));
      paragraphs.add(preformatted(pre.group(1)));
      at = pre.end();
    }
    paragraphs.addAll(prose(html.substring(at)));
    StringBuilder out = new StringBuilder();
    for (String p : paragraphs) {
      if (out.length() > 0) {
        out.append("\n\n");
      }
      if (p.startsWith("\u0000")) { // preformatted
        for (String line : p.substring(1).split("\n", -1)) {
          out.append(indent).append("    ").append(line).append('\n');
        }
        out.setLength(out.length() - 1);
      } else {
        out.append(wrap(p, width, indent));
      }
    }
    return out.toString();
  }

  private static List<String> prose(String html) {
    String s = html.replaceAll("(?i)<p\\s*/?>|</p>|</?(ul|ol|dl|table|blockquote)[^>]*>", "\n\n")
        .replaceAll("(?i)<br\\s*/?>", "\n")
        .replaceAll("(?i)<li[^>]*>", "\n\n- ")
        .replaceAll("(?i)<dt[^>]*>", "\n\n")
        .replaceAll("(?i)<dd[^>]*>", "\n\n  ")
        .replaceAll("<[^>]+>", "");
    List<String> out = new ArrayList<>();
    for (String p : unescape(s).split("\n\\s*\n")) {
      String collapsed = p.strip().replaceAll("\\s+", " ");
      if (!collapsed.isEmpty()) {
        out.add(collapsed);
      }
    }
    return out;
  }

  /** A {@code <pre>} block's text, marked with a leading NUL, its common indent removed. */
  private static String preformatted(String html) {
    String text = unescape(html.replaceAll("<[^>]+>", ""));
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    while (!lines.isEmpty() && lines.get(0).isBlank()) {
      lines.remove(0);
    }
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
      lines.remove(lines.size() - 1);
    }
    int common = Integer.MAX_VALUE;
    for (String line : lines) {
      if (!line.isBlank()) {
        common = Math.min(common, line.length() - line.stripLeading().length());
      }
    }
    StringBuilder out = new StringBuilder("\u0000");
    for (String line : lines) {
      out.append(line.isBlank() ? "" : line.substring(common).stripTrailing()).append('\n');
    }
    out.setLength(out.length() - 1);
    return out.toString();
  }

  /** Greedy word wrap; a list item ("- ") hangs its later lines under its text. */
  private static String wrap(String paragraph, int width, String indent) {
    String hang = indent + (paragraph.startsWith("- ") ? "  " : "");
    StringBuilder out = new StringBuilder(indent);
    int column = indent.length();
    boolean lineStart = true;
    for (String word : paragraph.split(" ")) {
      if (!lineStart && column + 1 + word.length() > width) {
        out.append('\n').append(hang);
        column = hang.length();
        lineStart = true;
      }
      if (!lineStart) {
        out.append(' ');
        column++;
      }
      out.append(word);
      column += word.length();
      lineStart = false;
    }
    return out.toString();
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String unescape(String s) {
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
        .replace("&#64;", "@").replace("&nbsp;", " ").replace("&mdash;", "\u2014")
        .replace("&ndash;", "\u2013").replace("&rarr;", "\u2192").replace("&amp;", "&");
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + what.length())) {
      n++;
    }
    return n;
  }
}
