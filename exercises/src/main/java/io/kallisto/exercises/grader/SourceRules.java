package io.kallisto.exercises.grader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An exercise's machine-checked rules: classes and packages a student's sources may not use,
 * read from the exercise's {@code rules.txt}, one per line: a fully qualified class
 * ({@code java.util.PriorityQueue}) or a package ending in {@code .*}
 * ({@code java.util.concurrent.*}: its classes, not its subpackages), then the reason.
 * {@code #} starts a comment.
 *
 * <p>A use is an import of it, a fully qualified mention, or its simple name where the file
 * imports its package with {@code *} or lives in that package. Comments and string literals are
 * ignored. This catches honest shortcuts (a {@code PriorityQueue} in a heap exercise, the
 * engine's own queue wrapped in a post-queue exercise), not a determined attacker (reflection,
 * {@code Class.forName}): the instructors' guide says so.
 */
public final class SourceRules {
  private static final Pattern IMPORT =
      Pattern.compile("^\\s*import\\s+(static\\s+)?([\\w.]+?)(\\.\\*)?\\s*;", Pattern.MULTILINE);
  private static final Pattern PACKAGE =
      Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

  private final Map<String, String> forbidden;

  private SourceRules(Map<String, String> forbidden) {
    this.forbidden = forbidden;
  }

  /** The rules in {@code file}; none if it does not exist. */
  public static SourceRules read(Path file) {
    Map<String, String> rules = new LinkedHashMap<>();
    if (Files.isRegularFile(file)) {
      try {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          String s = line.strip();
          if (s.isEmpty() || s.startsWith("#")) {
            continue;
          }
          String[] parts = s.split("\\s+", 2);
          rules.put(parts[0], parts.length > 1 ? parts[1] : "not allowed in this exercise");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("reading " + file, e);
      }
    }
    return new SourceRules(rules);
  }

  /** The forbidden names and why, in file order. */
  public Map<String, String> forbidden() {
    return forbidden;
  }

  /**
   * Every use of a forbidden class or package in {@code sources}, as
   * {@code File.java:LINE uses NAME: reason}; empty when the rules hold.
   */
  public List<String> breaches(List<Path> sources) {
    List<String> out = new ArrayList<>();
    for (Path source : sources) {
      String code;
      try {
        code = blankCommentsAndStrings(Files.readString(source, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException("reading " + source, e);
      }
      for (Map.Entry<String, String> rule : forbidden.entrySet()) {
        int at = firstUse(code, rule.getKey());
        if (at >= 0) {
          out.add(source.getFileName() + ":" + line(code, at) + " uses " + rule.getKey() + ": "
              + rule.getValue());
        }
      }
    }
    return out;
  }

  /** Where {@code code} first uses {@code name} (a class, or a package ending in .*), or -1. */
  static int firstUse(String code, String name) {
    boolean wholePackage = name.endsWith(".*");
    String pkg = wholePackage ? name.substring(0, name.length() - 2)
        : name.substring(0, Math.max(0, name.lastIndexOf('.')));
    String simple = wholePackage ? "[A-Z]\\w*" : Pattern.quote(name.substring(pkg.length() + 1));
    // A fully qualified use, an import of the class itself included.
    Matcher qualified = Pattern.compile("(?<![\\w.])" + Pattern.quote(pkg) + "\\." + simple
        + "\\b").matcher(code);
    int first = qualified.find() ? qualified.start() : -1;
    // The simple name where the package is imported whole, or is the file's own package.
    boolean packageVisible = false;
    int packageAt = -1;
    Matcher imports = IMPORT.matcher(code);
    while (imports.find()) {
      if (imports.group(3) != null && imports.group(1) == null && imports.group(2).equals(pkg)) {
        packageVisible = true;
        packageAt = imports.start();
      }
    }
    Matcher own = PACKAGE.matcher(code);
    if (own.find() && own.group(1).equals(pkg)) {
      packageVisible = true;
    }
    if (packageVisible) {
      if (wholePackage && packageAt >= 0) {
        return first < 0 ? packageAt : Math.min(first, packageAt);
      }
      Matcher bare = Pattern.compile("(?<![\\w.])" + simple + "\\b").matcher(code);
      while (bare.find()) {
        if (!insideImportOrPackage(code, bare.start())) {
          return first < 0 ? bare.start() : Math.min(first, bare.start());
        }
      }
    }
    return first;
  }

  private static boolean insideImportOrPackage(String code, int at) {
    int lineStart = code.lastIndexOf('\n', at) + 1;
    String line = code.substring(lineStart, at).strip();
    return line.startsWith("import") || line.startsWith("package");
  }

  private static int line(String code, int at) {
    int n = 1;
    for (int i = 0; i < at; i++) {
      if (code.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  /**
   * {@code code} with comments, string and character literals (text blocks too) replaced by
   * spaces, newlines kept so that line numbers still hold.
   */
  static String blankCommentsAndStrings(String code) {
    StringBuilder b = new StringBuilder(code);
    int i = 0;
    int n = code.length();
    while (i < n) {
      char c = code.charAt(i);
      if (c == '/' && i + 1 < n && code.charAt(i + 1) == '/') {
        while (i < n && code.charAt(i) != '\n') {
          b.setCharAt(i++, ' ');
        }
      } else if (c == '/' && i + 1 < n && code.charAt(i + 1) == '*') {
        int end = code.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        blank(b, i, end);
        i = end;
      } else if (code.startsWith("\"\"\"", i)) {
        int end = code.indexOf("\"\"\"", i + 3);
        end = end < 0 ? n : end + 3;
        blank(b, i, end);
        i = end;
      } else if (c == '"' || c == '\'') {
        int j = i + 1;
        while (j < n && code.charAt(j) != c && code.charAt(j) != '\n') {
          j += code.charAt(j) == '\\' ? 2 : 1;
        }
        int end = Math.min(n, j + 1);
        blank(b, i, end);
        i = end;
      } else {
        i++;
      }
    }
    return b.toString();
  }

  private static void blank(StringBuilder b, int from, int to) {
    for (int k = from; k < to; k++) {
      if (b.charAt(k) != '\n') {
        b.setCharAt(k, ' ');
      }
    }
  }
}
