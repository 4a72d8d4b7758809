package io.kallisto.notebook.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * A cell's text with its magics taken off: {@code %%time} on the first line, and
 * {@code %classpath} / {@code %jars} lines (paths separated by spaces or the path separator)
 * before the code.
 *
 * @param body the Java code
 * @param timed whether {@code %%time} asked for timing
 * @param classpath paths (jars, directories, globs) to add before running
 */
record Cell(String body, boolean timed, List<String> classpath) {
  static Cell parse(String code) {
    List<String> lines = new ArrayList<>(code.lines().toList());
    boolean timed = false;
    List<String> classpath = new ArrayList<>();
    int i = 0;
    if (!lines.isEmpty() && lines.get(0).strip().equals("%%time")) {
      timed = true;
      i++;
    }
    for (; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.startsWith("%classpath ") || line.startsWith("%jars ")) {
        for (String p : line.substring(line.indexOf(' ') + 1).split("[\\s" + java.io.File.pathSeparator + "]+")) {
          if (!p.isBlank()) {
            classpath.add(p);
          }
        }
      } else if (!line.isEmpty()) {
        break;
      }
    }
    // Keep line numbers: magic lines become blank lines.
    StringBuilder body = new StringBuilder();
    for (int j = 0; j < lines.size(); j++) {
      body.append(j < i ? "" : lines.get(j)).append('\n');
    }
    return new Cell(body.toString(), timed, List.copyOf(classpath));
  }
}
