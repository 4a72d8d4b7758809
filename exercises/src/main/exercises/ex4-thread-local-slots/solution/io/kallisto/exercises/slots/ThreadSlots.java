package io.kallisto.exercises.slots;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Dispatchers;
import io.kallisto.trace.CallbackKind;
import io.kallisto.trace.TracedCallback;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Thread-local storage for one main dispatcher and a fixed set of worker dispatchers: Envoy's
 * {@code ThreadLocal::Instance}. Each dispatcher keeps its own value of every {@link ThreadSlot};
 * the main dispatcher changes them by posting to the workers, so that {@link ThreadSlot#get()}
 * never takes a lock.
 *
 * <p><b>Threads.</b> The constructor, {@link #main()}, {@link #workers()} and
 * {@link #workerCount()} are safe from any thread. {@link #allocateSlot()}, like the
 * {@link ThreadSlot} methods that change values, is <em>main-only</em>: it must be called where
 * the main dispatcher's loop-only methods may be ({@code main.isThreadSafe()}) and not from
 * inside another dispatcher's callbacks ({@code Dispatchers.current()} is null or main);
 * elsewhere it throws {@link IllegalStateException}.
 * "Main" is a dispatcher, not a Java thread, so this works alike on real loops, each on its own
 * thread, and on simulated loops, which share one.
 *
 * <pre>{@code
 * ThreadSlots slots = new ThreadSlots(main, List.of(worker0, worker1));
 * ThreadSlot<Config> config = slots.allocateSlot();     // on main
 * config.set(dispatcher -> new Config(version));        // inline on main, then on each worker
 * config.runOnAllThreads(Config::apply, () -> log("applied everywhere"));  // log: on main, last
 * }</pre>
 */
public final class ThreadSlots {
  private final Dispatcher main;
  private final List<Dispatcher> workers;
  /** Every dispatcher's storage; never changed after construction, so readers need no lock. */
  private final Map<Dispatcher, Storage> storages;
  private final Storage mainStorage;
  /** Freed slot indexes; main-only. */
  private final BitSet freeIndexes = new BitSet();
  /** The next index never used; main-only. */
  private int nextIndex;

  /**
   * Storage for {@code main} and each of {@code workers}. Safe from any thread; create it before
   * the loops use it.
   *
   * @throws IllegalArgumentException if a dispatcher appears twice (main among the workers
   *     included), or there are more than
   *     {@link CompletionBarrier#MAX_PARTIES} workers
   */
  public ThreadSlots(Dispatcher main, List<? extends Dispatcher> workers) {
    this.main = Objects.requireNonNull(main, "main");
    Objects.requireNonNull(workers, "workers");
    if (workers.size() > CompletionBarrier.MAX_PARTIES) {
      throw new IllegalArgumentException(workers.size() + " workers; at most "
          + CompletionBarrier.MAX_PARTIES + " (one barrier party each)");
    }
    Map<Dispatcher, Storage> map = new IdentityHashMap<>();
    mainStorage = new Storage();
    map.put(main, mainStorage);
    List<Dispatcher> list = new ArrayList<>(workers.size());
    for (Dispatcher w : workers) {
      Objects.requireNonNull(w, "a worker dispatcher");
      if (map.put(w, new Storage()) != null) {
        throw new IllegalArgumentException("dispatcher '" + w.name() + "' is given twice;"
            + " each dispatcher has one storage");
      }
      list.add(w);
    }
    this.workers = Collections.unmodifiableList(list);
    this.storages = map;
  }

  /** The main dispatcher: the one that runs inline calls and completions. */
  public Dispatcher main() {
    return main;
  }

  /** The worker dispatchers, in the order given (unmodifiable): worker i is barrier party i. */
  public List<Dispatcher> workers() {
    return workers;
  }

  /** The number of workers. */
  public int workerCount() {
    return workers.size();
  }

  /**
   * A new slot, using the lowest index a closed slot freed, or else the next new one (0, 1, 2,
   * ...). Its value is {@code null} on every dispatcher until a {@link ThreadSlot#set} reaches
   * it. Main-only.
   */
  public <T> ThreadSlot<T> allocateSlot() {
    checkMain("allocateSlot()");
    int index = freeIndexes.nextSetBit(0);
    if (index >= 0) {
      freeIndexes.clear(index);
    } else {
      index = nextIndex++;
    }
    return new ThreadSlot<>(this, index);
  }

  // ---- for ThreadSlot --------------------------------------------------------------------------

  /** Gives {@code index} back for reuse. Main-only (the caller checked). */
  void free(int index) {
    freeIndexes.set(index);
  }

  Storage mainStorage() {
    return mainStorage;
  }

  Storage storageOf(Dispatcher d) {
    return storages.get(d);
  }

  /**
   * The storage of the dispatcher whose callback is running here; outside every loop, main's,
   * if main's loop-only methods may be called here (its loop is not running elsewhere).
   */
  Storage callerStorage(String what) {
    Dispatcher running = Dispatchers.current();
    Storage storage = running == null ? null : storages.get(running);
    if (storage == null && running == null && main.isThreadSafe()) {
      storage = mainStorage;
    }
    if (storage == null) {
      throw new IllegalStateException(what + " on thread '" + Thread.currentThread().getName()
          + "': " + (running == null ? "no dispatcher runs here and main's loop runs elsewhere"
              : "dispatcher '" + running.name() + "' is not one of these slots' dispatchers"));
    }
    return storage;
  }

  /** Throws unless main's loop-only methods may be called here and no other loop is running. */
  void checkMain(String what) {
    Dispatcher running = Dispatchers.current();
    if (!main.isThreadSafe() || running != null && running != main) {
      throw new IllegalStateException(what + " must be called on the main dispatcher '"
          + main.name() + "', not on " + (running != null ? "dispatcher '" + running.name() + "'"
              : "thread '" + Thread.currentThread().getName() + "' while main runs elsewhere"));
    }
  }

  /** One dispatcher's values, by slot index; only that dispatcher's loop touches it. */
  static final class Storage {
    private Object[] values = new Object[8];

    Object get(int index) {
      Object[] v = values;
      return index < v.length ? v[index] : null;
    }

    void put(int index, Object value) {
      if (index >= values.length) {
        values = Arrays.copyOf(values, Math.max(index + 1, values.length * 2));
      }
      values[index] = value;
    }

    /** Drops the value at {@code index}, returning it. */
    Object remove(int index) {
      Object value = get(index);
      if (value != null) {
        values[index] = null;
      }
      return value;
    }
  }

  /** A post that the trace viewer shows as a slot update with a readable label. */
  static Runnable labelled(String label, Runnable body) {
    return new Labelled(label, body);
  }

  private record Labelled(String label, Runnable body) implements Runnable, TracedCallback {
    @Override
    public void run() {
      body.run();
    }

    @Override
    public CallbackKind traceKind() {
      return CallbackKind.SLOT_UPDATE;
    }

    @Override
    public String traceLabel() {
      return label;
    }
  }
}
