package io.kallisto.visualizer.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The traces opened last, newest first, kept in a text file (one path a line) so that they
 * survive restarts: {@code $KALLISTO_RECENT_FILES}, or {@code ~/.config/kallisto/recent-files}.
 * A list that cannot be read or written is simply empty; it is a convenience, never an error.
 */
public final class RecentFiles {
  /** How many are kept. */
  public static final int MAX = 10;

  private final Path store;

  /** A list kept in {@code store}. */
  public RecentFiles(Path store) {
    this.store = store;
  }

  /** The list at its usual place. */
  public static RecentFiles standard() {
    String override = System.getenv("KALLISTO_RECENT_FILES");
    if (override != null && !override.isBlank()) {
      return new RecentFiles(Path.of(override));
    }
    return new RecentFiles(Path.of(System.getProperty("user.home"), ".config", "kallisto",
        "recent-files"));
  }

  /** The files, newest first. */
  public List<Path> list() {
    try {
      List<Path> out = new ArrayList<>();
      for (String line : Files.readAllLines(store, StandardCharsets.UTF_8)) {
        if (!line.isBlank() && out.size() < MAX) {
          out.add(Path.of(line.strip()));
        }
      }
      return Collections.unmodifiableList(out);
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  /** Puts {@code file} first, dropping an older entry for it and anything past {@link #MAX}. */
  public void add(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    List<String> lines = new ArrayList<>();
    lines.add(abs.toString());
    for (Path p : list()) {
      if (!p.equals(abs) && lines.size() < MAX) {
        lines.add(p.toString());
      }
    }
    try {
      if (store.getParent() != null) {
        Files.createDirectories(store.getParent());
      }
      // Whole or not at all: two windows closing at once must not leave a torn list.
      io.kallisto.files.AtomicOutput.write(store,
          (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      // a read-only home directory: the list just does not persist
    }
  }
}
