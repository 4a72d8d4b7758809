package io.kallisto.trace;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Turns tracing on and off, and records events. Every method is safe from any thread.
 *
 * <pre>{@code
 * Tracing.start(Path.of("run.ktrace"));
 * ... run dispatchers, workers, a pool ...
 * Tracing.mark("config pushed");
 * TraceSummary written = Tracing.stop();   // ends the file with a "complete" END block
 * }</pre>
 *
 * <p>When tracing is off, each recording site costs one volatile read and a branch that is not
 * taken. When it is on, a record is four stores into the calling thread's own buffer: no lock,
 * no allocation.
 */
public final class Tracing {
  /** The {@code kind} of request and connection records made by a client, not the server. */
  public static final int CLIENT_SIDE = 1;

  private static volatile TraceSession active;
  private static final ThreadLocal<ThreadTrace> LOCAL = new ThreadLocal<>();

  /** Labels made from callback classes, cached per class and re-interned per session. */
  private static final ClassValue<ClassLabel> CLASS_LABELS = new ClassValue<>() {
    @Override
    protected ClassLabel computeValue(Class<?> type) {
      return new ClassLabel(labelOf(type));
    }
  };

  private Tracing() {}

  /** Starts recording to {@code file}, replacing it. */
  public static TraceSession start(Path file) {
    return start(file, TraceOptions.defaults());
  }

  /**
   * Starts recording to {@code file} with {@code options}.
   *
   * @throws IllegalStateException if a session is already recording
   * @throws java.io.UncheckedIOException if the file cannot be written, naming it
   */
  public static synchronized TraceSession start(Path file, TraceOptions options) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(options, "options");
    if (active != null) {
      throw new IllegalStateException("tracing is already on, into " + active.path()
          + "; stop() it first");
    }
    TraceSession session = new TraceSession(file, options);
    active = session;
    return session;
  }

  /**
   * Stops recording, writes what was recorded and closes the file.
   *
   * @throws IllegalStateException if tracing is off
   */
  public static synchronized TraceSummary stop() {
    return stop(null);
  }

  /**
   * Stops recording, writes what was recorded, then {@code end} as the file's last block (a
   * complete end at the session's clock now when {@code end} is null), and closes the file. A
   * run cut short passes {@link TraceEnd#interrupted}, so that its trace says so.
   *
   * @throws IllegalStateException if tracing is off
   */
  public static synchronized TraceSummary stop(TraceEnd end) {
    TraceSession session = active;
    if (session == null) {
      throw new IllegalStateException("tracing is off; start() it first");
    }
    active = null;
    return session.stop(end);
  }

  /** The session recording now, or {@code null} when tracing is off. */
  public static TraceSession activeSession() {
    return active;
  }

  /** True while a session records. */
  public static boolean isEnabled() {
    return active != null;
  }

  /**
   * The calling thread's trace, registering the thread on first use, or {@code null} when
   * tracing is off. A loop calls this once per iteration and records through the result.
   */
  public static ThreadTrace currentThread() {
    TraceSession session = active;
    if (session == null) {
      return null;
    }
    ThreadTrace t = LOCAL.get();
    if (t == null || t.session != session) {
      t = session.register(Thread.currentThread());
      LOCAL.set(t);
    }
    return t;
  }

  /**
   * A new thread in the trace, named {@code name} and bound to no Java thread, or {@code null}
   * when tracing is off. A simulation gives each simulated thread one, and makes it the current
   * thread's trace with {@link #actAs} while that simulated thread runs. Ids follow the order of
   * registration, so a simulation that registers in a fixed order numbers its threads the same
   * way on every run.
   */
  public static ThreadTrace newThread(String name) {
    TraceSession session = active;
    return session == null ? null : session.register(Objects.requireNonNull(name, "name"));
  }

  /**
   * Makes {@code trace} (from {@link #newThread}; {@code null} to fall back to the thread's own)
   * what {@link #currentThread()} returns on the calling thread, and returns what it returned
   * before, to restore later. For simulations, where several simulated threads take turns on one
   * Java thread.
   */
  public static ThreadTrace actAs(ThreadTrace trace) {
    ThreadTrace previous = LOCAL.get();
    if (trace == null) {
      LOCAL.remove();
    } else {
      LOCAL.set(trace);
    }
    return previous;
  }

  /** The label id for a callback object in {@code session}: its own, or its class's. */
  public static int label(TraceSession session, Object callback) {
    if (callback instanceof TracedCallback) {
      return session.intern(((TracedCallback) callback).traceLabel());
    }
    return CLASS_LABELS.get(callback.getClass()).id(session);
  }

  // ---- annotations for experiments ----------------------------------------------------------

  /** Records an instant mark named {@code label} on the calling thread. */
  public static void mark(String label) {
    ThreadTrace t = currentThread();
    if (t != null) {
      t.record(EventType.MARK, 0, 0, t.session.intern(label), t.session.now(), 0, 0);
    }
  }

  /**
   * Records a span named {@code label} on the calling thread, from {@code startNanos} to now.
   * Timestamps come from {@link TraceSession#now()} (or the dispatcher's {@code now()}).
   */
  public static void span(String label, long startNanos) {
    ThreadTrace t = currentThread();
    if (t != null) {
      long now = t.session.now();
      t.record(EventType.SPAN, 0, 0, t.session.intern(label), startNanos, now - startNanos, 0);
    }
  }

  /** Records a sample of the counter {@code name} on the calling thread. */
  public static void counter(String name, long value) {
    ThreadTrace t = currentThread();
    if (t != null) {
      t.record(EventType.COUNTER, 0, 0, t.session.intern(name), t.session.now(), value, 0);
    }
  }

  // ---- connections and requests (the network layer records these) --------------------------

  /** A connection was accepted, or connected if {@code client}. */
  public static void connectionOpened(long connection, boolean client) {
    instant(EventType.CONNECTION_OPEN, client ? CLIENT_SIDE : 0, connection, 0);
  }

  /** A connection closed; {@code client} if this side had connected. */
  public static void connectionClosed(long connection, boolean client) {
    instant(EventType.CONNECTION_CLOSE, client ? CLIENT_SIDE : 0, connection, 0);
  }

  /**
   * The server began work on a request of {@code requestKind} (as the request protocol codes
   * it: 0 echo, 1 cpu, 2 sleep), recorded in the {@code small} field.
   */
  public static void requestBegan(long request, long connection, int requestKind) {
    ThreadTrace t = currentThread();
    if (t != null) {
      t.record(EventType.REQUEST_BEGIN, 0, requestKind, 0, t.session.now(), request, connection);
    }
  }

  /** The server finished a request and sent its response. */
  public static void requestEnded(long request, long connection) {
    instant(EventType.REQUEST_END, 0, request, connection);
  }

  /** A client sent a request (recorded as a client-side {@link EventType#REQUEST_BEGIN}). */
  public static void requestSent(long request, long connection) {
    instant(EventType.REQUEST_BEGIN, CLIENT_SIDE, request, connection);
  }

  /** A client received a response (a client-side {@link EventType#REQUEST_END}). */
  public static void responseReceived(long request, long connection) {
    instant(EventType.REQUEST_END, CLIENT_SIDE, request, connection);
  }

  /**
   * A watchdog found {@code dispatcher} stalled for {@code stalledNanos}: a miss, or a mega-miss
   * if {@code mega}. Recorded on the calling (guard dog) thread.
   */
  public static void watchdog(String dispatcher, boolean mega, long stalledNanos) {
    ThreadTrace t = currentThread();
    if (t != null) {
      t.record(EventType.WATCHDOG, mega ? 1 : 0, 0, t.session.intern(dispatcher),
          t.session.now(), stalledNanos, 0);
    }
  }

  private static void instant(EventType type, int kind, long a, long b) {
    ThreadTrace t = currentThread();
    if (t != null) {
      t.record(type, kind, 0, 0, t.session.now(), a, b);
    }
  }

  /**
   * A short label for a class: {@code DemoCommand.Config} for a nested class; for a lambda or
   * method reference, the method that declared it (see {@link LambdaLabels}), such as
   * {@code lambda in DemoCommand.run}.
   */
  static String labelOf(Class<?> type) {
    if (LambdaLabels.isLambda(type)) {
      return LambdaLabels.label(type);
    }
    return LambdaLabels.simple(type.getName());
  }

  /** A class's label and its id in the last session that asked. */
  private static final class ClassLabel {
    final String text;
    private volatile SessionId cached;

    ClassLabel(String text) {
      this.text = text;
    }

    int id(TraceSession session) {
      SessionId c = cached;
      if (c == null || c.session() != session) {
        c = new SessionId(session, session.intern(text));
        cached = c;
      }
      return c.id();
    }
  }

  private record SessionId(TraceSession session, int id) {}
}
