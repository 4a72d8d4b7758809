package io.kallisto.notebook;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A sentence a lesson claims about the run it just made, with the figures filled in from that
 * run and a verdict: {@value #AS_PREDICTED}, or {@value #NOT_THIS_TIME} with the likely reason.
 * A lesson's prose states no number by hand; its observation cells say them through claims.
 *
 * <pre>{@code
 * Claim.design("{} posts from another thread cost {} eventfd writes: fewer writes than posts",
 *     posts, writes).holds(writes < posts);
 * Claim.environment("offload keeps p99 at {}, below inline's {}", offloadP99, inlineP99)
 *     .holds(offloadP99.max() < inlineP99.min());
 * }</pre>
 *
 * <p>Two kinds:
 * <ul>
 *   <li>a <b>design</b> claim follows from the mechanism (the order of fd callbacks, timers and
 *       posts; wakeups avoided in a burst; a simulated run's determinism). It must hold on any
 *       machine at any load; when it does not, that is a bug in Kallisto or in the lesson, and
 *       the notebook test fails.
 *   <li>an <b>environment</b> claim is about speed on real threads: latencies and throughputs. It
 *       is reported with the machine's {@link Machine.Conditions} during the last measurement
 *       (a {@link Trials} or {@link Experiment} run; see {@link Machine#beginWindow()}), and
 *       when it fails the verdict names the likely reason (load, steal, or the one the cell
 *       gives, such as warm-up). The notebook test reports these and does not fail on them.
 * </ul>
 *
 * <p>{@code {}} in a sentence is filled by the next argument, formatted plainly: whole numbers
 * with thousands separators, other numbers through {@link Numbers#plain}, anything else by its
 * {@code toString()} (a {@link Samples} prints its median and range).
 *
 * <p>Each verdict is shown at once as Markdown, and recorded in the output's metadata under
 * {@value #METADATA_KEY} (kind, verdict, sentence, reason, conditions), where tests and tools
 * read it. Safe from any thread.
 */
public final class Claim implements Rich {
  /** The verdict when the prediction came true. */
  public static final String AS_PREDICTED = "as predicted";
  /** The verdict when it did not. */
  public static final String NOT_THIS_TIME = "not this time";
  /** The key of a claim in its output's metadata. */
  public static final String METADATA_KEY = "kallisto_claim";

  /** What a claim is about. */
  public enum Kind {
    /** Follows from the mechanism: must hold anywhere. */
    DESIGN("design"),
    /** Speed on real threads on this machine: reported with its conditions. */
    ENVIRONMENT("environment");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /** "design" or "environment", as the metadata records it. */
    public String label() {
      return label;
    }
  }

  private static final List<Claim> MADE = new CopyOnWriteArrayList<>();
  private static volatile Machine.Sample lastSample = Machine.sample();
  private static volatile Machine.Conditions lastConditions;

  private final Kind kind;
  private final String sentence;
  private final boolean held;
  private final String reason;
  private final Machine.Conditions conditions;

  private Claim(Kind kind, String sentence, boolean held, String reason,
      Machine.Conditions conditions) {
    this.kind = kind;
    this.sentence = sentence;
    this.held = held;
    this.reason = reason;
    this.conditions = conditions;
  }

  /**
   * A claim that follows from the mechanism; {@code {}} placeholders take {@code figures}.
   *
   * <pre>{@code Claim.design("the loop ran {} first", order.get(0)).holds(order.get(0).equals("fd callback"));}</pre>
   */
  public static Pending design(String sentence, Object... figures) {
    return new Pending(Kind.DESIGN, fill(sentence, figures));
  }

  /**
   * A claim about speed on this machine; {@code {}} placeholders take {@code figures}.
   *
   * <pre>{@code Claim.environment("p99 {} with offload", p99).holds(p99.median() < 1000);}</pre>
   */
  public static Pending environment(String sentence, Object... figures) {
    return new Pending(Kind.ENVIRONMENT, fill(sentence, figures));
  }

  /** A claim waiting for its verdict: call {@link #holds} once. */
  public static final class Pending {
    private final Kind kind;
    private final String sentence;

    private Pending(Kind kind, String sentence) {
      this.kind = kind;
      this.sentence = sentence;
    }

    /**
     * Gives the verdict: shows the claim now and records it. When it does not hold, the reason
     * shown is the machine's load or steal if they were high.
     */
    public void holds(boolean holds) {
      holds(holds, null);
    }

    /**
     * Gives the verdict, with the likely reason to show if it does not hold and the machine
     * looked quiet (for example "warm-up: the first run included JIT compilation").
     */
    public void holds(boolean holds, String likelyReasonIfNot) {
      Machine.Conditions c = conditionsNow();
      String reason = null;
      if (!holds) {
        String machine = kind == Kind.ENVIRONMENT ? c.likelyReason() : null;
        reason = machine != null ? machine : likelyReasonIfNot;
      }
      Claim claim = new Claim(kind, sentence, holds, reason, c);
      MADE.add(claim);
      Notebook.display(claim);
    }
  }

  /**
   * The conditions a claim made now reports: those of the last measurement window (a
   * {@link Trials} or {@link Experiment} run) if one ended since the previous claim; else those
   * since the previous claim, if that is long enough to tell; else the previous claim's, since
   * claims made moments apart speak of the same measurement.
   */
  private static synchronized Machine.Conditions conditionsNow() {
    Machine.Sample now = Machine.sample();
    Machine.Sample before = lastSample;
    lastSample = now;
    Machine.Conditions window = Machine.windowEndedAfter(before.wallNanos());
    Machine.Conditions since = Machine.between(before, now);
    Machine.Conditions c = window != null ? window
        : since.seconds() >= Machine.MIN_WINDOW_SECONDS || lastConditions == null ? since
        : lastConditions;
    lastConditions = c;
    return c;
  }

  /** Every claim made in this JVM so far, in order. */
  public static List<Claim> all() {
    return List.copyOf(MADE);
  }

  /** Forgets the claims made so far (a test's fresh start). */
  public static synchronized void reset() {
    MADE.clear();
    lastSample = Machine.sample();
    lastConditions = null;
  }

  /**
   * Every claim so far as a table: kind, verdict, sentence, reason.
   *
   * <pre>{@code Claim.summary();   // the last cell of a lesson}</pre>
   */
  public static Table summary() {
    return summary(MADE);
  }

  static Table summary(Collection<Claim> claims) {
    Table t = Table.of("kind", "verdict", "claim", "likely reason");
    for (Claim c : claims) {
      t.row(c.kind.label(), c.verdict(), c.sentence, c.reason == null ? "" : c.reason);
    }
    return t;
  }

  /** Design or environment. */
  public Kind kind() {
    return kind;
  }

  /** The sentence with its figures. */
  public String sentence() {
    return sentence;
  }

  /** Whether the prediction came true. */
  public boolean held() {
    return held;
  }

  /** {@value #AS_PREDICTED} or {@value #NOT_THIS_TIME}. */
  public String verdict() {
    return held ? AS_PREDICTED : NOT_THIS_TIME;
  }

  /** Why it likely did not hold, or {@code null}. */
  public String reason() {
    return reason;
  }

  /** What the machine did since the previous claim. */
  public Machine.Conditions conditions() {
    return conditions;
  }

  @Override
  public Map<String, String> mimeBundle() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("text/markdown", markdown());
    m.put("text/plain", toString());
    return m;
  }

  @Override
  public Map<String, Object> metadata() {
    Map<String, Object> claim = new LinkedHashMap<>();
    claim.put("kind", kind.label());
    claim.put("verdict", verdict());
    claim.put("claim", sentence);
    if (reason != null) {
      claim.put("reason", reason);
    }
    claim.put("conditions", conditions.asMap());
    return Map.of(METADATA_KEY, claim);
  }

  private String markdown() {
    StringBuilder b = new StringBuilder(held ? "✅ **" : "❌ **").append(verdict())
        .append("** · ").append(kind == Kind.DESIGN ? "*design*" : "*on this machine*")
        .append(" — ").append(escape(sentence));
    if (!held) {
      if (reason != null) {
        b.append(" — likely reason: ").append(escape(reason)).append('.');
      }
      if (kind == Kind.DESIGN) {
        b.append(" **This follows from the mechanism and should hold anywhere: it is a bug in"
            + " Kallisto or in this lesson.**");
      }
    }
    if (kind == Kind.ENVIRONMENT) {
      b.append("  \n<sub>").append(escape(conditions.toString())).append("</sub>");
    }
    return b.toString();
  }

  /** Keeps Markdown from reading figures or names as formatting. */
  private static String escape(String s) {
    return s.replace("*", "\\*").replace("_", "\\_");
  }

  @Override
  public String toString() {
    return "[" + verdict() + "] " + kind.label() + ": " + sentence
        + (reason == null ? "" : " (likely reason: " + reason + ")");
  }

  /** Fills {@code {}} placeholders with plainly formatted figures. */
  static String fill(String sentence, Object... figures) {
    Objects.requireNonNull(sentence, "sentence");
    StringBuilder b = new StringBuilder();
    int from = 0;
    int next = 0;
    int at;
    while ((at = sentence.indexOf("{}", from)) >= 0) {
      if (next >= figures.length) {
        throw new IllegalArgumentException("claim '" + sentence + "' has more {} than the "
            + figures.length + " figures given");
      }
      b.append(sentence, from, at).append(figure(figures[next++]));
      from = at + 2;
    }
    if (next != figures.length) {
      throw new IllegalArgumentException("claim '" + sentence + "' has " + next + " {} for "
          + figures.length + " figures; give one figure per {}");
    }
    return b.append(sentence.substring(from)).toString();
  }

  private static String figure(Object v) {
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return Numbers.count(((Number) v).longValue());
    }
    if (v instanceof Number) {
      return Numbers.plain(((Number) v).doubleValue());
    }
    if (v instanceof Collection<?>) {
      List<String> parts = new ArrayList<>();
      for (Object o : (Collection<?>) v) {
        parts.add(figure(o));
      }
      return String.join(", ", parts);
    }
    return String.valueOf(v);
  }
}
