package io.kallisto.notebook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;

/**
 * Several setups measured fairly against each other: warmed up first, then run in rounds, each
 * round running every setup once, in an order that rotates from round to round. A burst of load
 * from elsewhere, or the JIT finishing its work, then hits every setup alike instead of whichever
 * happened to run at that moment.
 *
 * <pre>{@code
 * Map<String, Callable<Histogram>> setups = new LinkedHashMap<>();
 * setups.put("inline", () -> runTasks(Fix.INLINE));
 * setups.put("offload", () -> runTasks(Fix.OFFLOAD));
 * Trials<Histogram> t = Trials.run(3, 1, setups);      // 1 warm-up round, 3 measured rounds
 * Samples p99 = t.samples("offload", "µs", h -> h.getValueAtPercentile(99) / 1e3);
 * t.table("p99", "µs", h -> h.getValueAtPercentile(99) / 1e3);   // median, min, max per setup
 * }</pre>
 *
 * <p>Each round prints one progress line. Runs one setup at a time, on the calling thread.
 *
 * @param <T> what one run returns
 */
public final class Trials<T> {
  private final Map<String, List<T>> runs;

  private Trials(Map<String, List<T>> runs) {
    this.runs = runs;
  }

  /**
   * Runs {@code warmups} unrecorded rounds, then {@code rounds} recorded ones, of every setup.
   *
   * @throws IllegalArgumentException if there are no setups or rounds is under 1
   * @throws Exception what a setup throws, at once
   */
  public static <T> Trials<T> run(int rounds, int warmups, Map<String, Callable<T>> setups)
      throws Exception {
    if (setups.isEmpty() || rounds < 1 || warmups < 0) {
      throw new IllegalArgumentException("trials need setups, rounds >= 1 and warmups >= 0; got "
          + setups.size() + " setups, rounds=" + rounds + ", warmups=" + warmups);
    }
    List<String> names = new ArrayList<>(setups.keySet());
    Map<String, List<T>> runs = new LinkedHashMap<>();
    names.forEach(n -> runs.put(n, new ArrayList<>()));
    int total = warmups + rounds;
    Machine.beginWindow();
    try {
      runRounds(rounds, warmups, setups, names, runs, total);
    } finally {
      Machine.endWindow();
    }
    return new Trials<>(runs);
  }

  private static <T> void runRounds(int rounds, int warmups, Map<String, Callable<T>> setups,
      List<String> names, Map<String, List<T>> runs, int total) throws Exception {
    for (int r = 0; r < total; r++) {
      long start = System.nanoTime();
      List<String> order = new ArrayList<>();
      for (int k = 0; k < names.size(); k++) {
        String name = names.get((r + k) % names.size());
        order.add(name);
        T result = setups.get(name).call();
        if (r >= warmups) {
          runs.get(name).add(result);
        }
      }
      System.out.printf(Locale.ROOT, "%s %d/%d: %s (%s s)%n", r < warmups ? "warm-up" : "round",
          r < warmups ? r + 1 : r - warmups + 1, r < warmups ? warmups : rounds,
          String.join(", ", order), Numbers.plain((System.nanoTime() - start) / 1e9));
      System.out.flush();
    }
  }

  /** The setups' names, in the order given. */
  public List<String> names() {
    return List.copyOf(runs.keySet());
  }

  /**
   * The recorded runs of {@code setup}, in order.
   *
   * @throws IllegalArgumentException naming the setups there are
   */
  public List<T> runs(String setup) {
    List<T> r = runs.get(setup);
    if (r == null) {
      throw new IllegalArgumentException("no setup '" + setup + "'; setups are " + runs.keySet());
    }
    return List.copyOf(r);
  }

  /** One figure of every recorded run of {@code setup}. */
  public Samples samples(String setup, String unit, ToDoubleFunction<T> figure) {
    return Samples.of(unit, runs(setup), figure);
  }

  /**
   * One figure per setup as a table: median, min, max and the number of runs.
   *
   * <pre>{@code t.table("p99", "µs", h -> h.getValueAtPercentile(99) / 1e3)}</pre>
   */
  public Table table(String figure, String unit, ToDoubleFunction<T> of) {
    String u = unit.isEmpty() ? "" : " " + unit;
    Table t = Table.of("setup", figure + " median" + u, "min" + u, "max" + u, "runs");
    for (String name : runs.keySet()) {
      Samples s = samples(name, unit, of);
      t.row(name, s.median(), s.min(), s.max(), s.size());
    }
    return t;
  }
}
