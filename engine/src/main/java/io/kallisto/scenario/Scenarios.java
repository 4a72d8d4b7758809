package io.kallisto.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The bundled scenarios, and the one way to load a scenario by name or path.
 *
 * <pre>{@code
 * for (BundledScenario b : Scenarios.bundled()) {
 *   System.out.println(b.name() + "  " + b.purpose());
 * }
 * Scenario s = Scenarios.load("head-of-line-blocking");   // bundled
 * Scenario t = Scenarios.load("experiments/mine.json");   // a file
 * }</pre>
 *
 * <p>Bundled scenarios are the resources {@code io/kallisto/scenarios/<name>.json}, listed in
 * order, one name a line, by {@code io/kallisto/scenarios/index.txt} (blank lines and lines
 * starting with {@code #} are skipped). Adding one is adding its file and its line.
 *
 * <p>Safe from any thread: the catalogue is read once, on first use, and never changes.
 */
public final class Scenarios {
  private static final String DIRECTORY = "/io/kallisto/scenarios/";

  private Scenarios() {}

  /** The bundled scenarios, in the index's order. */
  public static List<BundledScenario> bundled() {
    return Catalogue.BUNDLED;
  }

  /** True when {@code name} is a bundled scenario's, which {@link #load} prefers to a file. */
  public static boolean isBundled(String name) {
    return Catalogue.NAMES.contains(name);
  }

  /**
   * The bundled scenario called {@code nameOrPath}, or else the scenario file at that path.
   * A bundled name wins over a file of the same name in the working directory.
   *
   * @throws ScenarioException if it is neither a bundled name nor an existing file, listing the
   *     bundled names (with the closest one as a suggestion), or if the file is not a valid
   *     scenario
   */
  public static Scenario load(String nameOrPath) {
    if (Catalogue.NAMES.contains(nameOrPath)) {
      return parseBundled(nameOrPath);
    }
    Path file = pathOrNull(nameOrPath);
    if (file != null && Files.exists(file)) {
      return ScenarioParser.parse(file);
    }
    throw new ScenarioException(nameOrPath, "", "no bundled scenario or file by this name; "
        + "allowed: " + String.join(", ", Catalogue.NAMES) + ", or the path of a scenario file"
        + Messages.suggestion(nameOrPath, Catalogue.NAMES));
  }

  private static Path pathOrNull(String text) {
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      return null;
    }
  }

  /** Bundled files name themselves {@code <name>.json} in messages, and default to {@code name}. */
  private static Scenario parseBundled(String name) {
    return ScenarioParser.parse(resource(name + ".json"), name + ".json");
  }

  private static String resource(String file) {
    try (InputStream in = Scenarios.class.getResourceAsStream(DIRECTORY + file)) {
      if (in == null) {
        // The jar is broken, not the user's input.
        throw new IllegalStateException("bundled resource " + DIRECTORY + file + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("reading bundled resource " + DIRECTORY + file, e);
    }
  }

  /** Read on first use (lazy holder); every bundled file is parsed once, to check it. */
  private static final class Catalogue {
    static final List<String> NAMES = names();
    static final List<BundledScenario> BUNDLED = describe(NAMES);

    private static List<String> names() {
      List<String> names = new ArrayList<>();
      for (String line : resource("index.txt").split("\n")) {
        String name = line.strip();
        if (!name.isEmpty() && !name.startsWith("#")) {
          names.add(name);
        }
      }
      return List.copyOf(names);
    }

    private static List<BundledScenario> describe(List<String> names) {
      List<BundledScenario> bundled = new ArrayList<>(names.size());
      for (String name : names) {
        bundled.add(new BundledScenario(name, parseBundled(name).description()));
      }
      return List.copyOf(bundled);
    }
  }
}
