package io.kallisto.cli;

import io.kallisto.run.MachineLimits;
import io.kallisto.run.ResourceBudget;
import io.kallisto.scenario.Scenario;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code --budget} and {@code --force}, for commands that run scenarios: before anything runs,
 * the scenario's estimated heap, direct memory, memory, threads and timer cores are checked
 * against a share of this machine ({@link ResourceBudget}); one over it is refused with one line
 * naming the fields that drive the estimate, or, with {@code --force}, run with those fields
 * lowered until it fits. See docs/scenarios.md, "The resource budget".
 */
final class BudgetOptions {
  @Option(names = "--budget", paramLabel = "SHARE",
      description = "The share of this machine a run may take: of the JVM's heap and direct"
          + " memory, of the machine's memory and thread limit, and of its cores for a timer"
          + " storm; a percentage from 1 to 100 (default: " + ResourceBudget.DEFAULT_SHARE_PERCENT
          + "%%), or 'off' to check nothing (a run past the machine's limits may then exhaust"
          + " it; SIGINT and SIGTERM still stop it).")
  String budget;

  @Option(names = "--force",
      description = "Run a scenario that is over its budget anyway, capped: the fields that"
          + " drive the estimate are lowered until it fits, and the command says which.")
  boolean force;

  /**
   * {@code s} if it fits the budget; with {@code --force}, {@code s} lowered to fit (saying so on
   * {@code out}); else a {@link UserError} naming {@code source} and the fields to lower.
   *
   * @param traced whether the run records a trace, whose buffers count
   */
  Scenario admit(Scenario s, String source, boolean traced, PrintWriter out) {
    Integer share = share();
    if (share == null) {
      return s; // --budget off
    }
    ResourceBudget b = new ResourceBudget(MachineLimits.ofThisJvm(), share);
    ResourceBudget.Overrun over = b.check(s, traced);
    if (over == null) {
      return s;
    }
    if (!force) {
      throw new UserError(source + ": " + over.describe() + "; lower those fields, raise"
          + " --budget, or run it capped with --force");
    }
    ResourceBudget.Capped capped = b.cap(s, traced);
    if (capped == null) {
      throw new UserError(source + ": " + over.describe() + "; no lowering of its fields fits"
          + " it, so --force cannot run it: raise --budget, or give the JVM more memory (-Xmx)");
    }
    out.println("capped to fit the budget (--force): " + String.join(", ", capped.changes())
        + "; as written it " + over.describe());
    out.flush();
    return capped.scenario();
  }

  /** The share in percent, or null for {@code --budget off}. */
  private Integer share() {
    if (budget == null) {
      return ResourceBudget.DEFAULT_SHARE_PERCENT;
    }
    String text = budget.trim().toLowerCase(Locale.ROOT);
    if (text.equals("off")) {
      return null;
    }
    String digits = text.endsWith("%") ? text.substring(0, text.length() - 1) : text;
    try {
      int n = Integer.parseInt(digits);
      if (n >= 1 && n <= 100) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UserError("--budget=" + budget + " is not a share; use a percentage from 1 to 100"
        + " (e.g. 80%), or off");
  }
}
