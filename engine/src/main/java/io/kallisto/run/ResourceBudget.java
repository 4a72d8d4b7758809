package io.kallisto.run;

import io.kallisto.run.ResourceEstimate.Resource;
import io.kallisto.run.ResourceEstimate.Term;
import io.kallisto.scenario.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The share of a machine a run may take: of the JVM's maximum heap and direct memory, of the
 * machine's memory and thread limit, and of its cores for a real run's timer storm. Checked
 * against a scenario's {@link ResourceEstimate} before anything runs, so that a scenario that
 * would exhaust the machine is refused with one line, or run {@link #cap capped}, instead of
 * melting it down. Immutable; safe from any thread.
 *
 * <pre>{@code
 * ResourceBudget budget = new ResourceBudget(MachineLimits.ofThisJvm(), 50);
 * ResourceBudget.Overrun o = budget.check(scenario, traced);
 * if (o != null) throw new UserError(source + ": " + o.describe());
 * }</pre>
 */
public final class ResourceBudget {
  /** The share a run may take unless told otherwise, in percent. */
  public static final int DEFAULT_SHARE_PERCENT = 50;

  private final MachineLimits machine;
  private final int sharePercent;

  /**
   * A budget of {@code sharePercent} of {@code machine}.
   *
   * @throws IllegalArgumentException unless the share is 1 to 100
   */
  public ResourceBudget(MachineLimits machine, int sharePercent) {
    if (sharePercent < 1 || sharePercent > 100) {
      throw new IllegalArgumentException("share=" + sharePercent + "% is out of range; use 1 to"
          + " 100");
    }
    this.machine = machine;
    this.sharePercent = sharePercent;
  }

  /**
   * Where an estimate goes over the budget: the resource furthest over, and its largest part.
   *
   * @param resource what is over
   * @param needed the estimate, in the resource's unit
   * @param allowed the budget for it
   * @param largest the part of the estimate that weighs most
   * @param limit what the budget is a share of, e.g. "the JVM's maximum heap, 5.9 GiB"
   * @param sharePercent the share
   */
  public record Overrun(Resource resource, double needed, double allowed, Term largest,
      String limit, int sharePercent) {
    /**
     * One line: "needs about 2.7 GiB of heap, mostly for the timer storm (workers 256 x
     * timers.perWorker 100,000 x 112 B), over its budget of 2.9 GiB (50% of the JVM's maximum
     * heap, 5.9 GiB)".
     */
    public String describe() {
      return "needs about " + amount(resource, needed)
          + (resource.phrase().isEmpty() ? "" : " " + resource.phrase()) + ", mostly for " + largest.what() + " (" + largest.formula() + "), over its budget of "
          + amount(resource, allowed) + " (" + sharePercent + "% of " + limit + ")";
    }
  }

  /**
   * A scenario lowered to fit, and what was lowered.
   *
   * @param scenario the scenario to run
   * @param changes one entry per field lowered: "timers.perWorker 100,000 -> 15"
   * @param overrun what the original would have needed
   */
  public record Capped(Scenario scenario, List<String> changes, Overrun overrun) {}

  /** The share, in percent. */
  public int sharePercent() {
    return sharePercent;
  }

  /** Where {@code s} goes furthest over the budget, or null if it fits. */
  public Overrun check(Scenario s, boolean traced) {
    ResourceEstimate e = ResourceEstimate.of(s, machine, traced);
    Overrun worst = null;
    double worstRatio = 1;
    for (Resource r : Resource.values()) {
      double needed = e.total(r);
      double allowed = allowed(r);
      if (needed > allowed && needed / allowed > worstRatio) {
        worstRatio = needed / allowed;
        worst = new Overrun(r, needed, allowed, e.terms(r).get(0), limitOf(r), sharePercent);
      }
    }
    return worst;
  }

  /**
   * {@code s} with the fields that drive its largest overruns lowered until it fits, largest
   * part first and, within a part, its first knob first (the requests in flight lose
   * {@code outstanding} or {@code rate} before {@code payloadBytes} before {@code connections}).
   * Returns it unchanged, with no changes, if it fits already; null if no lowering fits it (what
   * the JVM itself and the trace need is over the budget).
   */
  public Capped cap(Scenario s, boolean traced) {
    Overrun first = check(s, traced);
    Scenario c = s;
    for (int round = 0; round < 200; round++) {
      Overrun o = check(c, traced);
      if (o == null) {
        return new Capped(c, changes(s, c), first);
      }
      Scenario lowered = lower(c, o, traced);
      if (lowered == null) {
        return null;
      }
      c = lowered;
    }
    return null;
  }

  /** {@code c} with one knob of the largest lowerable part of {@code o}'s resource lowered. */
  private Scenario lower(Scenario c, Overrun o, boolean traced) {
    ResourceEstimate e = ResourceEstimate.of(c, machine, traced);
    double total = e.total(o.resource());
    for (Term t : e.terms(o.resource())) {
      for (Knob k : t.knobs()) {
        long v = k.get(c);
        if (v <= k.least()) {
          continue;
        }
        // Parts grow about in proportion to each knob: scale it by the room left for the part,
        // or halve it while the other parts alone are over (they come next).
        double room = o.allowed() - (total - t.amount());
        double f = room <= 0 ? 0.5 : Math.min(0.99, room / t.amount());
        long next = Math.max(k.least(), Math.min(v - 1, (long) Math.floor(v * f)));
        return k.with(c, next);
      }
    }
    return null;
  }

  private static List<String> changes(Scenario from, Scenario to) {
    List<String> out = new ArrayList<>();
    for (Knob k : Knob.values()) {
      if (k.get(from) != k.get(to)) {
        out.add(k.field() + " " + ResourceEstimate.count(k.get(from)) + " -> "
            + ResourceEstimate.count(k.get(to)));
      }
    }
    return out;
  }

  private double allowed(Resource r) {
    double share = sharePercent / 100.0;
    return share * switch (r) {
      case HEAP -> machine.maxHeap();
      case DIRECT -> machine.maxDirect();
      case MEMORY -> machine.physical();
      case THREADS -> machine.threadLimit();
      case CORES -> machine.cores();
    };
  }

  private String limitOf(Resource r) {
    return switch (r) {
      case HEAP -> "the JVM's maximum heap, " + ResourceEstimate.bytes(machine.maxHeap());
      case DIRECT -> "the JVM's maximum direct memory, "
          + ResourceEstimate.bytes(machine.maxDirect());
      case MEMORY -> "this machine's memory, " + ResourceEstimate.bytes(machine.physical());
      case THREADS -> "this process's thread limit, "
          + ResourceEstimate.count(machine.threadLimit());
      case CORES -> "this machine's " + machine.cores() + " cores";
    };
  }

  private static String amount(Resource r, double v) {
    return switch (r) {
      case THREADS -> ResourceEstimate.count((long) Math.ceil(v)) + " threads";
      case CORES -> String.format(Locale.ROOT, "%.1f cores", v);
      default -> ResourceEstimate.bytes(v);
    };
  }
}
