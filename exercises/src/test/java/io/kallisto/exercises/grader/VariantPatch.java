package io.kallisto.exercises.grader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies a buggy variant, kept as a unified diff against the reference solution
 * ({@code diff -u --label a/PATH --label b/PATH}), to a copy of the solution. A variant is then
 * exactly its bug: reading the patch shows it, and a reference that changes under it makes the
 * patch fail to apply, loudly, instead of leaving a stale copy that proves nothing.
 */
final class VariantPatch {
  private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+)(?:,(\\d+))? \\+\\d+(?:,\\d+)? @@");

  private VariantPatch() {}

  /** Applies {@code patch} to the files under {@code root}, in place. */
  static void apply(Path patch, Path root) throws IOException {
    List<String> lines = Files.readAllLines(patch, StandardCharsets.UTF_8);
    int i = 0;
    while (i < lines.size()) {
      if (!lines.get(i).startsWith("--- ")) {
        i++;
        continue;
      }
      String target = lines.get(i + 1);
      if (!target.startsWith("+++ b/")) {
        throw new IllegalStateException(patch + ":" + (i + 2) + ": expected '+++ b/PATH'");
      }
      Path file = root.resolve(target.substring("+++ b/".length()).strip());
      List<String> text = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
      i += 2;
      int offset = 0;
      while (i < lines.size() && lines.get(i).startsWith("@@")) {
        Matcher m = HUNK.matcher(lines.get(i));
        if (!m.find()) {
          throw new IllegalStateException(patch + ":" + (i + 1) + ": not a hunk header");
        }
        int hunkLine = i + 1;
        int start = Integer.parseInt(m.group(1)) - 1;
        List<String> before = new ArrayList<>();
        List<String> after = new ArrayList<>();
        i++;
        while (i < lines.size() && !lines.get(i).startsWith("@@")
            && !lines.get(i).startsWith("--- ")) {
          String l = lines.get(i++);
          if (l.startsWith("\\")) {
            continue; // "\ No newline at end of file"
          }
          char kind = l.isEmpty() ? ' ' : l.charAt(0);
          String body = l.isEmpty() ? "" : l.substring(1);
          if (kind != '+') {
            before.add(body);
          }
          if (kind != '-') {
            after.add(body);
          }
        }
        int at = find(text, before, Math.max(0, start + offset));
        if (at < 0) {
          throw new IllegalStateException(patch.getFileName() + " does not apply to " + file
              + ": the hunk at patch line " + hunkLine + " matches nothing (did the reference"
              + " solution change? regenerate the variant's patch)");
        }
        text.subList(at, at + before.size()).clear();
        text.addAll(at, after);
        offset += after.size() - before.size() + (at - (start + offset));
      }
      Files.write(file, text, StandardCharsets.UTF_8);
    }
  }

  /** Where {@code block} stands in {@code text}, searching outwards from {@code near}; or -1. */
  private static int find(List<String> text, List<String> block, int near) {
    for (int d = 0; d <= text.size(); d++) {
      for (int at : new int[] {near - d, near + d}) {
        if (at >= 0 && at + block.size() <= text.size()
            && text.subList(at, at + block.size()).equals(block)) {
          return at;
        }
      }
    }
    return -1;
  }
}
