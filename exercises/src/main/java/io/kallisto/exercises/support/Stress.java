package io.kallisto.exercises.support;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Memory-ordering stress on real threads, in the manner of jcstress: a few actors (one thread
 * each) race on a fresh state per round, many rounds, and each round's outcome is judged once
 * every actor is done. What it finds that a model checker assuming sequential consistency cannot:
 * a store that is still in its core's store buffer when the same core loads another location
 * (StoreLoad reordering, real on x86-64), and values read through a reference published too
 * early.
 *
 * <pre>{@code
 * Stress.Result r = Stress.of(Pair::new)          // a fresh state per round
 *     .actor(p -> { p.x = 1; p.r1 = p.y; })        // each actor runs on its own thread
 *     .actor(p -> { p.y = 1; p.r2 = p.x; })
 *     .forbid(p -> p.r1 == 0 && p.r2 == 0 ? "both read 0" : null)
 *     .run(200_000, Duration.ofSeconds(3));
 * r.assertPassed("no round where both read 0");   // or r.failure(...): null if it passed
 * }</pre>
 *
 * <p><b>Rounds.</b> Before each round the actors meet at a spinning barrier, so that they start
 * within a cache-line transfer of each other. A round counts as <em>overlapping</em> only if no
 * actor had finished it before another began it: on a loaded machine with few cores an actor is
 * often descheduled, and a round it runs alone proves nothing (jcstress counts the same way). The
 * wait spins without {@code Thread.onSpinWait()} (under KVM a PAUSE loop makes the hypervisor
 * hand the core to another guest thread) for a few milliseconds, then yields: an actor that keeps
 * its core is the one most likely to be running when the other gets one. The actor that arrived
 * last, and so starts first, waits a few iterations more, a different number each round, so that
 * the actors meet at many offsets into each other's code. Before the race, each actor's code is
 * run alone 20,000 times and the JIT is given time to compile it: the interpreter and C1 fence
 * every release store, which would hide the bugs looked for (see {@link OptimizingCompiler}).
 *
 * <p><b>Bounds.</b> A run stops after {@code overlappingRounds} overlapping rounds, or at the
 * first forbidden outcome, or after {@code wallTime} once {@link #MIN_OVERLAPPING} rounds have
 * overlapped, and in any case after {@link #HARD_LIMIT} times {@code wallTime}. Forbidden outcomes
 * are counted in every round, overlapping or not.
 *
 * <p><b>Threads.</b> {@link #run} is called by one thread, which is also actor 0; the other
 * actors run on daemon threads started and joined by {@code run}. Actor 0 makes each round's
 * state two rounds ahead and judges a round once every actor has met at the next one: meeting
 * is a volatile write read by the others, so a {@code forbid} function reads plain fields.
 *
 * <p><b>Note:</b> the actors and the judgement must not synchronise with each other inside a
 * round (no lock, no volatile written by one and read by another), or they add the very fences
 * whose absence the test looks for.
 *
 * @param <S> the state of one round
 */
public final class Stress<S> {
  /** Spins (a few milliseconds) at the meeting before a waiting actor starts yielding. */
  private static final int SPINS_BEFORE_YIELD = 1 << 22;
  /** The longest extra wait, in busy iterations, of the actor that arrived last at a round. */
  private static final int MAX_SKEW = 64;

  /** Rounds run one actor after the other before the race, for the JIT (see warmUpCompiler). */
  private static final int COMPILER_WARM_UP = 20_000;
  /** How long the JIT must have compiled nothing before the race begins. */
  private static final Duration COMPILER_QUIET = Duration.ofMillis(50);
  /** The longest wait for the JIT to go quiet: on a loaded machine it may not. */
  private static final Duration COMPILER_WAIT = Duration.ofMillis(1_500);

  private final Supplier<S> newState;
  private final List<Consumer<S>> actors = new ArrayList<>();
  private final List<Consumer<S>> warmUps = new ArrayList<>();
  private Function<S, String> forbid = s -> null;

  private Stress(Supplier<S> newState) {
    this.newState = Objects.requireNonNull(newState, "newState");
  }

  /** A stress test whose rounds each start on a state made by {@code newState}. */
  public static <S> Stress<S> of(Supplier<S> newState) {
    return new Stress<>(newState);
  }

  /** Adds an actor: it runs on a thread of its own, once per round. At most 4 actors. */
  public Stress<S> actor(Consumer<S> actor) {
    return actor(s -> { }, actor);
  }

  /**
   * Adds an actor that first runs {@code warmUp} on the round's state, on its own thread, before
   * the actors meet: reading what the actor will read in the race brings those cache lines to its
   * core, shared, so that in the race its loads are quick while the other actor's stores to the
   * same lines must first take them away; that is the layout in which a load overtakes a store.
   * The warm-up must only read. At most 4 actors.
   */
  public Stress<S> actor(Consumer<S> warmUp, Consumer<S> actor) {
    if (actors.size() == 4) {
      throw new IllegalArgumentException("actors=5; a round races at most 4 actors");
    }
    warmUps.add(Objects.requireNonNull(warmUp, "warmUp"));
    actors.add(Objects.requireNonNull(actor, "actor"));
    return this;
  }

  /**
   * Sets the judgement of a finished round: null if its outcome is allowed, otherwise a short
   * description of the forbidden outcome (the first one seen goes into the report).
   */
  public Stress<S> forbid(Function<S, String> judge) {
    this.forbid = Objects.requireNonNull(judge, "judge");
    return this;
  }

  /**
   * Overlapping rounds a run goes on for after its wall time, up to {@link #HARD_LIMIT} times that
   * time: on a machine so loaded that the actors seldom run at once, a run that stopped on time
   * would prove little.
   */
  public static final long MIN_OVERLAPPING = 10_000;
  /** How many times its wall time a run may take to reach {@link #MIN_OVERLAPPING}. */
  static final int HARD_LIMIT = 4;

  /** What a run saw. */
  public record Result(long rounds, long overlapping, long forbidden,
      long overlappingBeforeFirst, String first, Duration elapsed) {

    /**
     * Null if no forbidden outcome was seen; otherwise the feedback for a failing test: what was
     * expected, how often the forbidden outcome was seen, after how many rounds, and the first
     * one. A run on a machine too loaded to race the actors often passes: the student's code is
     * not to blame for that, and the log says how many rounds overlapped.
     */
    public String failure(String expected) {
      return forbidden == 0 ? null : describe(expected);
    }

    /**
     * Throws an {@link AssertionError} with the {@link #failure} feedback unless the run passed.
     * Returns this result.
     */
    public Result assertPassed(String expected) {
      String failure = failure(expected);
      if (failure != null) {
        throw new AssertionError(failure);
      }
      return this;
    }

    /** What was expected and what the run saw, whether it passed or not. */
    public String describe(String expected) {
      String seen = forbidden == 0 ? "never seen"
          : "seen in " + forbidden + " of " + rounds + " rounds, first after "
              + overlappingBeforeFirst + " overlapping rounds: " + first;
      return "expected " + expected + "; " + seen + " (" + overlapping + " of " + rounds
          + " rounds overlapped, in " + elapsed.toMillis() + " ms)";
    }
  }

  /**
   * Runs rounds until {@code overlappingRounds} have overlapped, or a forbidden outcome was
   * seen, or {@code wallTime} has passed and at least {@link #MIN_OVERLAPPING} rounds overlapped
   * (or {@link #HARD_LIMIT} times {@code wallTime}, whichever comes first). Needs at least two
   * actors.
   *
   * @throws IllegalStateException if an actor or the judgement threw, naming the round
   */
  public Result run(long overlappingRounds, Duration wallTime) {
    int n = actors.size();
    if (n < 2) {
      throw new IllegalStateException("actors=" + n + "; a stress round races 2 to 4 actors");
    }
    warmUpCompiler();
    Rounds<S> rounds = new Rounds<>(n);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int a = 1; a < n; a++) {
      int actor = a;
      Thread t = new Thread(() -> {
        try {
          for (long r = 1; rounds.warmUpAndMeet(actor, r, warmUps.get(actor)); r++) {
            rounds.act(actor, r, actors.get(actor));
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
          rounds.stop = true;
        }
      }, "stress-actor-" + a);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    long start = System.nanoTime();
    long deadline = start + wallTime.toNanos();
    long hardDeadline = start + HARD_LIMIT * wallTime.toNanos();
    long judged = 0;
    long overlapping = 0;
    long forbidden = 0;
    long beforeFirst = 0;
    String first = null;
    try {
      rounds.make(1, newState.get());
      rounds.make(2, newState.get());
      for (long r = 1; ; r++) {
        if (!rounds.warmUpAndMeet(0, r, warmUps.get(0))) {
          break; // an actor failed
        }
        rounds.act(0, r, actors.get(0));
        // Every other actor has met at r, so it finished r - 1: judge that round now.
        if (r > 1) {
          String outcome;
          try {
            outcome = forbid.apply(rounds.states.get(Rounds.slot(r - 1)));
          } catch (RuntimeException e) {
            throw new IllegalStateException("judging round " + (r - 1) + " threw " + e, e);
          }
          judged++;
          if (outcome != null && forbidden++ == 0) {
            first = outcome;
            beforeFirst = overlapping;
          }
          if (rounds.overlapped(r - 1)) {
            overlapping++;
          }
        }
        boolean done = overlapping >= overlappingRounds || forbidden > 0;
        if (!done && (r & 255) == 0) {
          long now = System.nanoTime();
          done = now > deadline && overlapping >= MIN_OVERLAPPING || now > hardDeadline;
        }
        if (done) {
          break; // the others see stop as they wait at r + 1
        }
        // Two rounds ahead, so that the others can warm up on round r + 1 while this one judges.
        rounds.make(r + 2, newState.get());
      }
    } finally {
      rounds.stop = true;
      for (Thread t : threads) {
        try {
          t.join(10_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a stress actor threw " + failure.get(), failure.get());
    }
    Result result = new Result(judged, overlapping, forbidden, beforeFirst, first,
        Duration.ofNanos(System.nanoTime() - start));
    System.out.println("stress: " + result.describe("no forbidden outcome")); // for the log
    return result;
  }

  /**
   * Runs every actor's code, one after the other on this thread, on {@link #COMPILER_WARM_UP}
   * fresh states, so that the JIT has compiled it (with C2, see {@link OptimizingCompiler})
   * when the race begins: the interpreter and C1 fence every release store, which would hide the
   * bugs looked for until C2 takes over, late in a run on a loaded machine.
   */
  private void warmUpCompiler() {
    // Through the same code as the race, so that what gets compiled is that path: each actor
    // meets only itself here.
    List<Rounds<S>> alone = new ArrayList<>();
    for (int a = 0; a < actors.size(); a++) {
      alone.add(new Rounds<>(1));
    }
    for (int i = 1; i <= COMPILER_WARM_UP; i++) {
      S state = newState.get();
      for (int a = 0; a < actors.size(); a++) {
        Rounds<S> rounds = alone.get(a);
        rounds.make(i, state);
        rounds.warmUpAndMeet(0, i, warmUps.get(a));
        rounds.act(0, i, actors.get(a));
      }
    }
    // Compilation runs in the background: wait until it has been quiet for a while.
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
      return;
    }
    long giveUp = System.nanoTime() + COMPILER_WAIT.toNanos();
    long last = jit.getTotalCompilationTime();
    while (System.nanoTime() < giveUp) {
      try {
        Thread.sleep(COMPILER_QUIET.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      long now = jit.getTotalCompilationTime();
      if (now == last) {
        return;
      }
      last = now;
    }
  }

  /**
   * The rounds in flight: a ring of states (round r in slot r % 4: while actor 0 acts in round r
   * it judges r - 1 and makes r + 2), and per actor how far it has got. Actor 0 makes and judges
   * the states.
   */
  private static final class Rounds<S> {
    private static final int RING = 4;
    final AtomicReferenceArray<S> states = new AtomicReferenceArray<>(RING);
    /** The last round whose state is in place. */
    final AtomicLong made = new AtomicLong();
    /** Per actor: the last round it met at. Padded: actor a's sits at 16 * a, a line apart. */
    final AtomicLongArray arrived;
    /** Per actor: the last round it finished; read before acting, to tell overlap. */
    final AtomicLongArray finished;
    /** Per actor and slot: whether the actor saw another actor already done with the round. */
    final AtomicIntegerArray late;
    final int actorCount;
    volatile boolean stop;
    /** Where the skew loop's result goes, so that the loop is not compiled away. */
    long sink;

    Rounds(int actorCount) {
      this.actorCount = actorCount;
      arrived = new AtomicLongArray(16 * actorCount);
      finished = new AtomicLongArray(16 * actorCount);
      late = new AtomicIntegerArray(actorCount * RING);
    }

    static int slot(long round) {
      return (int) (round % RING);
    }

    /** Actor 0: puts round {@code r}'s state in place and publishes it. */
    void make(long r, S state) {
      states.set(slot(r), state);
      made.set(r);
    }

    /**
     * Waits for round {@code r}'s state, runs {@code warmUp} on it, then meets the other actors
     * at round {@code r}: true when all are there, false if the run is stopping.
     */
    boolean warmUpAndMeet(int actor, long r, Consumer<S> warmUp) {
      for (int spins = 0; made.get() < r; spins++) {
        if (!keepWaiting(spins)) {
          return false;
        }
      }
      warmUp.accept(states.get(slot(r)));
      return meet(actor, r);
    }

    /**
     * Meets the other actors at round {@code r}: true when all are there, false if the run is
     * stopping.
     */
    boolean meet(int actor, long r) {
      arrived.set(16 * actor, r); // a full fence: the store buffer is empty as the round starts
      boolean waited = false;
      for (int other = 0; other < actorCount; other++) {
        for (int spins = 0; arrived.get(16 * other) < r; spins++) {
          waited = true;
          if (!keepWaiting(spins)) {
            return false;
          }
        }
      }
      if (stop) {
        return false;
      }
      // The last to arrive did not wait, and would start a cache-line transfer ahead of the
      // others, which see its arrival only then: it waits a little, a different little each
      // round, so that the actors meet at many offsets into each other's code.
      if (!waited) {
        int skew = (int) (r % MAX_SKEW);
        long sink = 0;
        for (int s = 0; s < skew; s++) {
          sink += s ^ r; // a busy delay the compiler keeps: its result is stored below
        }
        this.sink = sink;
      }
      return true;
    }

    void act(int actor, long r, Consumer<S> body) {
      S state = states.get(slot(r));
      int sawDone = 0;
      for (int other = 0; other < actorCount; other++) {
        if (other != actor && finished.get(16 * other) >= r) {
          sawDone = 1;
        }
      }
      late.lazySet(actor * RING + slot(r), sawDone);
      body.accept(state);
      finished.lazySet(16 * actor, r); // after the body: no fence inside the round
    }

    /**
     * One turn of a wait for another actor: spins (no {@code Thread.onSpinWait()}: under KVM a
     * PAUSE loop makes the hypervisor hand the core to another guest thread), looks at
     * {@link #stop} now and then, and yields once it has spun for long. False if stopping.
     */
    boolean keepWaiting(int spins) {
      if ((spins & 1023) != 1023) {
        return true;
      }
      if (stop) {
        return false;
      }
      if (spins > SPINS_BEFORE_YIELD) {
        Thread.yield();
      }
      return true;
    }

    /** Whether round {@code r} overlapped: every actor began it before any had finished it. */
    boolean overlapped(long r) {
      for (int a = 0; a < actorCount; a++) {
        if (late.get(a * RING + slot(r)) != 0) {
          return false;
        }
      }
      return true;
    }
  }
}
