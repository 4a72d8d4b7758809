package io.kallisto.threadlocal;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Dispatchers;
import io.kallisto.trace.CallbackKind;
import io.kallisto.trace.EventType;
import io.kallisto.trace.ThreadTrace;
import io.kallisto.trace.TracedCallback;
import io.kallisto.trace.Tracing;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The {@link ThreadLocalInstance}. Each registered dispatcher has a {@link Storage} array that
 * only its own thread touches; the main thread reaches worker storage only through posts. The
 * dispatcher-to-storage map is replaced whole on registration (copy on write), so readers never
 * lock. Storage is found through the running dispatcher rather than the thread, so dispatchers
 * that share a thread (as simulated ones do) still see their own values.
 */
final class ThreadLocalInstanceImpl implements ThreadLocalInstance {
  private static final System.Logger LOG = System.getLogger("io.kallisto.threadlocal");

  private final Thread mainThread = Thread.currentThread();
  private volatile Map<Dispatcher, Storage> storages = new IdentityHashMap<>();
  private volatile Dispatcher mainDispatcher;
  private volatile Storage mainStorage;
  private final List<Registration> workers = new ArrayList<>();
  private final BitSet freeIndexes = new BitSet();
  private int nextIndex;
  private volatile boolean shutdown;

  // ThreadLocalInstance

  @Override
  public void registerThread(Dispatcher dispatcher, boolean isMain) {
    Objects.requireNonNull(dispatcher, "dispatcher");
    checkMainThread("registerThread()");
    if (storages.containsKey(dispatcher)) {
      throw new IllegalStateException("dispatcher '" + dispatcher.name() + "' is registered already");
    }
    if (isMain && mainDispatcher != null) {
      throw new IllegalStateException("the main thread is registered already, with dispatcher '"
          + mainDispatcher.name() + "'");
    }
    Storage storage = new Storage();
    Map<Dispatcher, Storage> copy = new IdentityHashMap<>(storages);
    copy.put(dispatcher, storage);
    storages = copy;
    if (isMain) {
      mainStorage = storage;
      mainDispatcher = dispatcher;
    } else {
      workers.add(new Registration(dispatcher, storage));
    }
  }

  @Override
  public int registeredThreadCount() {
    return storages.size();
  }

  @Override
  public <T> Slot<T> allocateSlot() {
    return allocateSlot(null);
  }

  @Override
  public <T> Slot<T> allocateSlot(String name) {
    checkMainThread("allocateSlot()");
    checkNotShutdown("allocateSlot()");
    int index = freeIndexes.nextSetBit(0);
    if (index >= 0) {
      freeIndexes.clear(index);
    } else {
      index = nextIndex++;
    }
    return new SlotImpl<>(index, name);
  }

  @Override
  public void runOnAllThreads(Runnable callback, Runnable completion) {
    Objects.requireNonNull(callback, "callback");
    Objects.requireNonNull(completion, "completion");
    checkMainThread("runOnAllThreads()");
    checkNotShutdown("runOnAllThreads()");
    Dispatcher main = requireMainDispatcher("runOnAllThreads()");
    long flow = traceSlotSet(-1);
    callback.run();
    postToWorkers(d -> callback.run(), completion, main, () -> true,
        "runOnAllThreads", flow, -1);
  }

  @Override
  public void shutdownGlobalThreading() {
    checkMainThread("shutdownGlobalThreading()");
    shutdown = true;
  }

  @Override
  public void shutdownThread() {
    if (!shutdown) {
      throw new IllegalStateException("shutdownThread() before shutdownGlobalThreading(): call "
          + "that on the main thread first");
    }
    Storage storage = currentStorage("shutdownThread()");
    for (int i = storage.values.length - 1; i >= 0; i--) {
      destroy(storage, i);
    }
  }

  // ---- internals -----------------------------------------------------------------------------

  /**
   * Posts {@code work} to every worker (skipped once {@code live} turns false) and posts
   * {@code completion} to the main dispatcher after the last worker ran it.
   */
  private void postToWorkers(Consumer<Registration> work, Runnable completion, Dispatcher main,
      java.util.function.BooleanSupplier live, String label, long flow, int slot) {
    Runnable complete = new SlotUpdate(label + " complete", flow, () -> {
      if (live.getAsBoolean()) {
        completion.run();
        ThreadTrace t = Tracing.currentThread();
        if (t != null) {
          t.record(EventType.SLOT_COMPLETE, 0, 0, slot, t.session().now(), 0, flow);
        }
      }
    });
    if (workers.isEmpty()) {
      main.post(complete);
      return;
    }
    AtomicInteger remaining = new AtomicInteger(workers.size());
    for (Registration r : workers) {
      r.dispatcher().post(new SlotUpdate(label, flow, () -> {
        if (!live.getAsBoolean()) {
          return;
        }
        try {
          work.accept(r);
        } finally {
          // The decrement that reaches zero is the last worker: only it may release completion.
          if (remaining.decrementAndGet() == 0) {
            main.post(complete);
          }
        }
      }));
    }
  }

  /** Traces the start of a slot update on the main thread; returns its flow id (0 if off). */
  private static long traceSlotSet(int slot) {
    ThreadTrace t = Tracing.currentThread();
    if (t == null) {
      return 0;
    }
    long flow = t.session().nextFlowId();
    t.record(EventType.SLOT_SET, 0, 0, slot, t.session().now(), 0, flow);
    return flow;
  }

  /** A slot update posted to a worker: traced as a slot update, joined to its SLOT_SET. */
  private static final class SlotUpdate implements Runnable, TracedCallback {
    private final String label;
    private final long flow;
    private final Runnable body;

    SlotUpdate(String label, long flow, Runnable body) {
      this.label = label;
      this.flow = flow;
      this.body = body;
    }

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

    @Override
    public long traceFlow() {
      return flow;
    }
  }

  private Storage currentStorage(String what) {
    Dispatcher running = Dispatchers.current();
    Storage storage = running == null ? null : storages.get(running);
    if (storage == null && Thread.currentThread() == mainThread) {
      storage = mainStorage;
    }
    if (storage == null) {
      throw new IllegalStateException(what + " on thread '" + Thread.currentThread().getName()
          + "': no registered dispatcher is running here"
          + (running == null ? "" : " (dispatcher '" + running.name() + "' is not registered)"));
    }
    return storage;
  }

  private Dispatcher requireMainDispatcher(String what) {
    Dispatcher main = mainDispatcher;
    if (main == null) {
      throw new IllegalStateException(what + " needs the main thread registered: call "
          + "registerThread(mainDispatcher, true) first");
    }
    return main;
  }

  private void checkMainThread(String what) {
    if (Thread.currentThread() != mainThread) {
      throw new IllegalStateException(what + " must be called on the main thread '"
          + mainThread.getName() + "', not on '" + Thread.currentThread().getName() + "'");
    }
  }

  private void checkNotShutdown(String what) {
    if (shutdown) {
      throw new IllegalStateException("cannot call " + what
          + ": shutdownGlobalThreading() was called");
    }
  }

  private static void destroy(Storage storage, int index) {
    if (index >= storage.values.length) {
      return;
    }
    Object value = storage.values[index];
    storage.values[index] = null;
    if (value instanceof AutoCloseable) {
      try {
        ((AutoCloseable) value).close();
      } catch (Exception e) {
        LOG.log(System.Logger.Level.WARNING, "closing thread-local value in slot " + index
            + " threw " + e, e);
      }
    }
  }

  /** One thread's values, touched only by that thread. */
  private static final class Storage {
    Object[] values = new Object[8];

    void put(int index, Object value) {
      if (index >= values.length) {
        values = java.util.Arrays.copyOf(values, Math.max(index + 1, values.length * 2));
      }
      values[index] = value;
    }

    Object get(int index) {
      Object[] v = values;
      return index < v.length ? v[index] : null;
    }
  }

  private record Registration(Dispatcher dispatcher, Storage storage) {}

  private final class SlotImpl<T> implements Slot<T> {
    private final int index;
    /** Trace labels of this slot's updates: by name if it has one, else by index. */
    private final String setLabel;
    private final String runLabel;
    private volatile boolean live = true;

    SlotImpl(int index, String name) {
      this.index = index;
      this.setLabel = name == null ? "slot " + index + " set" : "slot update " + name;
      this.runLabel = name == null ? "slot " + index + " runOnAllThreads" : "slot run " + name;
    }

    // Slot

    @Override
    @SuppressWarnings("unchecked")
    public T get() {
      if (!live) {
        throw new IllegalStateException("slot " + index + " is closed");
      }
      return (T) currentStorage("Slot.get()").get(index);
    }

    @Override
    public void set(Function<Dispatcher, T> initializer) {
      Objects.requireNonNull(initializer, "initializer");
      checkUsable("Slot.set()");
      Dispatcher main = mainDispatcher;
      long flow = traceSlotSet(index);
      if (main != null) {
        mainStorage.put(index, initializer.apply(main));
      }
      for (Registration r : workers) {
        r.dispatcher().post(new SlotUpdate(setLabel, flow, () -> {
          if (live) {
            r.storage().put(index, initializer.apply(r.dispatcher()));
          }
        }));
      }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void runOnAllThreads(Consumer<T> callback, Runnable completion) {
      Objects.requireNonNull(callback, "callback");
      Objects.requireNonNull(completion, "completion");
      checkUsable("Slot.runOnAllThreads()");
      Dispatcher main = requireMainDispatcher("Slot.runOnAllThreads()");
      long flow = traceSlotSet(index);
      callback.accept((T) mainStorage.get(index));
      postToWorkers(r -> callback.accept((T) r.storage().get(index)), completion, main,
          () -> live, runLabel, flow, index);
    }

    @Override
    public void close() {
      checkMainThread("Slot.close()");
      if (!live) {
        return;
      }
      live = false;
      Storage main = mainStorage;
      if (main != null) {
        destroy(main, index);
      }
      if (!shutdown) {
        // FIFO per worker: these run before any later slot's set() that reuses the index.
        for (Registration r : workers) {
          r.dispatcher().post(() -> destroy(r.storage, index));
        }
      }
      freeIndexes.set(index);
    }

    @Override
    public int index() {
      return index;
    }

    private void checkUsable(String what) {
      checkMainThread(what);
      checkNotShutdown(what);
      if (!live) {
        throw new IllegalStateException("slot " + index + " is closed: cannot call " + what);
      }
    }
  }
}
