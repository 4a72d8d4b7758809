package io.kallisto.trace.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.kallisto.files.AtomicOutput;
import io.kallisto.files.FileProblem;
import io.kallisto.trace.CallbackKind;
import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceEvent;
import io.kallisto.trace.TraceFile;
import io.kallisto.trace.analysis.FlowJoin;
import io.kallisto.trace.analysis.ReadProgress;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes a trace as Chrome Trace Event JSON, the format ui.perfetto.dev and chrome://tracing
 * open. Loop iterations, callbacks and spans become complete slices ({@code "X"}); posts, timer
 * changes, slot updates, connections, requests and marks become instants ({@code "i"}); each
 * post is drawn as a flow arrow ({@code "s"} to {@code "f"}) to the callback it caused, and each
 * slot set as an arrow to every worker's update; counters become counter tracks ({@code "C"}).
 *
 * <pre>{@code
 * try (TraceFile trace = TraceFile.open(Path.of("run.ktrace"))) {
 *   ExportSummary s = new ChromeTraceExporter(trace).export(Path.of("run.json"), null);
 * }
 * }</pre>
 *
 * <p>Events stream from the file to the output: only one loop iteration's slices per thread
 * (see {@link SliceOrder}) and the flow ends still waiting for their other side (a bounded
 * {@link FlowJoin}) are held in memory. Times are microseconds from the trace's first event,
 * written with three decimals so that nanoseconds survive exactly.
 *
 * <p><b>Note:</b> a flow's start binds to the slice enclosing the post on the sender's thread;
 * a post made outside any slice (from a thread that runs no loop) has none, so viewers may not
 * draw its arrow.
 */
public final class ChromeTraceExporter {
  /** The one process every thread belongs to. */
  public static final int PID = 1;
  /** Flow ends kept waiting for their other side. */
  static final int PENDING_FLOWS = 1 << 18;

  private final TraceFile trace;
  private final long origin;
  private final Map<Integer, SliceOrder> orders = new HashMap<>();
  /** Where the iteration buffers release slices: straight into the JSON. */
  private final SliceOrder.Sink sink = new SliceOrder.Sink() {
    @Override
    public void nested(TraceEvent slice) {
      writeOrThrow(() -> writeSlice(slice));
    }

    @Override
    public void unnested(TraceEvent slice) {
      writeOrThrow(() -> writeUnnested(slice));
    }
  };
  private JsonGenerator json;
  private FlowJoin postFlows;
  private FlowJoin slotFlows;
  private long written;
  private long unnested;

  /** An exporter for {@code trace}, which the caller owns and closes. */
  public ChromeTraceExporter(TraceFile trace) {
    this.trace = trace;
    this.origin = trace.firstTime();
  }

  /**
   * Writes the JSON to {@code file}, replacing it whole or not at all: a failed export leaves
   * the file as it was (see {@link AtomicOutput}).
   *
   * @param progress hears the number of events read now and then; may be null
   * @throws UncheckedIOException if the file cannot be written, naming it
   */
  public ExportSummary export(Path file, ReadProgress progress) {
    try (AtomicOutput target = AtomicOutput.create(file)) {
      OutputStream out = new BufferedOutputStream(target.stream(), 1 << 16);
      ExportSummary summary = write(out, progress, file.toString());
      try {
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(file + ": cannot write: " + FileProblem.of(e), e);
      }
      target.commit();
      return summary;
    }
  }

  /**
   * Writes the JSON to {@code out}, which stays open. Not reentrant: one export at a time.
   *
   * @param progress hears the number of events read now and then; may be null
   */
  public ExportSummary export(OutputStream out, ReadProgress progress) {
    return write(out, progress, "the output");
  }

  private ExportSummary write(OutputStream out, ReadProgress progress, String target) {
    written = 0;
    unnested = 0;
    orders.clear();
    postFlows = new FlowJoin(false, PENDING_FLOWS, this::writePostFlow);
    slotFlows = new FlowJoin(true, PENDING_FLOWS, this::writeSlotFlow);
    try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      json = g;
      g.writeStartObject();
      g.writeArrayFieldStart("traceEvents");
      writeThreadNames();
      long[] seen = {0};
      trace.forEach(e -> {
        visit(e);
        ReadProgress.tick(progress, ++seen[0]);
      });
      for (Map.Entry<Integer, SliceOrder> o : orders.entrySet()) {
        o.getValue().flush(sink);
      }
      g.writeEndArray();
      g.writeStringField("displayTimeUnit", "ns");
      writeMetadata();
      g.writeEndObject();
    } catch (IOException | WriteFailure e) {
      // Read failures keep their own message, which names the trace file.
      IOException cause = e instanceof WriteFailure ? ((WriteFailure) e).getCause() : (IOException) e;
      throw new UncheckedIOException(target + ": cannot write: " + cause.getMessage(), cause);
    } finally {
      json = null;
    }
    return new ExportSummary(written, postFlows.joined() + slotFlows.joined(),
        postFlows.waiting() + postFlows.dropped(), unnested);
  }

  // ---- events --------------------------------------------------------------------------------

  private void visit(TraceEvent e) {
    try {
      if (e.isSlice()) {
        orders.computeIfAbsent(e.thread(), t -> new SliceOrder()).add(e, sink);
        joinCallback(e);
      } else if (e.type() == EventType.COUNTER) {
        writeCounter(e);
      } else {
        writeInstant(e);
        if (e.type() == EventType.POST) {
          postFlows.send(e.b(), e.time(), e.thread());
        } else if (e.type() == EventType.SLOT_SET) {
          slotFlows.send(e.b(), e.time(), e.thread());
        }
      }
    } catch (IOException x) {
      throw new WriteFailure(x);
    }
  }

  private void joinCallback(TraceEvent e) {
    CallbackKind kind = e.callbackKind();
    if (kind == CallbackKind.POST) {
      postFlows.receive(e.b(), e.time(), e.thread());
    } else if (kind == CallbackKind.SLOT_UPDATE) {
      slotFlows.receive(e.b(), e.time(), e.thread());
    }
  }

  private void writeSlice(TraceEvent e) throws IOException {
    begin("X", sliceName(e), e.thread(), e.time());
    json.writeFieldName("dur");
    json.writeNumber(micros(e.duration()));
    json.writeStringField("cat", sliceCategory(e));
    CallbackKind kind = e.callbackKind();
    if (kind != null) {
      json.writeObjectFieldStart("args");
      json.writeStringField("kind", kind.label());
      switch (kind) {
        case TIMER:
          json.writeFieldName("deadline_us");
          json.writeNumber(between(origin, e.b()));
          json.writeFieldName("lateness_us");
          json.writeNumber(between(e.b(), e.time()));
          break;
        case FILE_EVENT:
          json.writeNumberField("fd", e.b());
          json.writeNumberField("events", e.small());
          break;
        default:
          json.writeNumberField("flow", e.b());
      }
      json.writeEndObject();
    } else if (e.type() == EventType.POLL) {
      json.writeObjectFieldStart("args");
      json.writeBooleanField("blocking", e.kind() == 1);
      json.writeEndObject();
    }
    end();
  }

  /**
   * A slice that does not nest becomes an async begin/end pair, which viewers draw on a track of
   * its own where overlap is allowed.
   */
  private void writeUnnested(TraceEvent e) throws IOException {
    unnested++;
    String id = "unnested-" + unnested;
    for (String phase : new String[] {"b", "e"}) {
      begin(phase, sliceName(e), e.thread(), phase.equals("b") ? e.time() : e.end());
      json.writeStringField("cat", sliceCategory(e));
      json.writeStringField("id", id);
      end();
    }
  }

  private void writeInstant(TraceEvent e) throws IOException {
    begin("i", e.type() == EventType.MARK ? e.label() : e.type().label(), e.thread(), e.time());
    json.writeStringField("s", "t");
    json.writeStringField("cat", e.type().label());
    json.writeObjectFieldStart("args");
    switch (e.type()) {
      case POST:
        json.writeNumberField("target_dispatcher", e.id());
        json.writeBooleanField("woke_loop", e.kind() == 1);
        json.writeNumberField("flow", e.b());
        break;
      case TIMER_ARM:
        json.writeNumberField("timer", e.id());
        json.writeBooleanField("rearm", e.kind() == 1);
        json.writeFieldName("deadline_us");
        json.writeNumber(between(origin, e.a()));
        break;
      case TIMER_DISABLE:
        json.writeNumberField("timer", e.id());
        break;
      case TIMERFD_ARM:
        json.writeFieldName("deadline_us");
        json.writeNumber(between(origin, e.a()));
        break;
      case SLOT_SET:
      case SLOT_COMPLETE:
        json.writeNumberField("slot", e.id());
        json.writeNumberField("flow", e.b());
        break;
      case CONNECTION_OPEN:
      case CONNECTION_CLOSE:
        json.writeNumberField("connection", e.a());
        break;
      case REQUEST_BEGIN:
      case REQUEST_END:
        json.writeNumberField("request", e.a());
        json.writeNumberField("connection", e.b());
        break;
      case WATCHDOG:
        json.writeStringField("dispatcher", e.label());
        json.writeBooleanField("mega_miss", e.kind() == 1);
        json.writeFieldName("stalled_ms");
        json.writeNumber(e.a() / 1e6);
        break;
      default:
        break;
    }
    json.writeEndObject();
    end();
  }

  /**
   * A counter sample. Viewers keep one track per counter name in a process; the id (the
   * thread's name) keeps each thread's "queue depth" on a track of its own.
   */
  private void writeCounter(TraceEvent e) throws IOException {
    begin("C", e.label(), e.thread(), e.time());
    json.writeStringField("id", threadName(e.thread()));
    json.writeObjectFieldStart("args");
    json.writeNumberField("value", e.a());
    json.writeEndObject();
    end();
  }

  private void writePostFlow(long flow, FlowJoin.End post, FlowJoin.End callback) {
    writeFlow(Long.toString(flow), "post", "post", post, callback);
  }

  /** One arrow per worker: a Chrome flow has one start and one finish, so each gets its own id. */
  private void writeSlotFlow(long flow, FlowJoin.End set, FlowJoin.End update) {
    writeFlow("slot-" + flow + "-" + slotFlows.joined(), "slot", "slot update", set, update);
  }

  private void writeFlow(String id, String cat, String name, FlowJoin.End from,
      FlowJoin.End to) {
    writeOrThrow(() -> {
      begin("s", name, from.thread, from.time);
      json.writeStringField("cat", cat);
      json.writeStringField("id", id);
      end();
      begin("f", name, to.thread, to.time);
      json.writeStringField("cat", cat);
      json.writeStringField("id", id);
      json.writeStringField("bp", "e"); // bind to the slice that starts here: the callback
      end();
    });
  }

  // ---- metadata ------------------------------------------------------------------------------

  private void writeThreadNames() throws IOException {
    begin("M", "process_name", 0, origin);
    json.writeObjectFieldStart("args");
    json.writeStringField("name", "kallisto");
    json.writeEndObject();
    end();
    for (Map.Entry<Integer, String> t : trace.threads().entrySet()) {
      begin("M", "thread_name", t.getKey(), origin);
      json.writeObjectFieldStart("args");
      json.writeStringField("name", t.getValue());
      json.writeEndObject();
      end();
    }
  }

  private void writeMetadata() throws IOException {
    json.writeObjectFieldStart("metadata");
    for (Map.Entry<String, String> f : trace.header().entrySet()) {
      json.writeStringField(f.getKey(), f.getValue());
    }
    json.writeStringField("trace.file", String.valueOf(trace.path()));
    json.writeNumberField("trace.version", trace.version());
    json.writeNumberField("trace.events", trace.eventCount());
    json.writeNumberField("trace.first.time.ns", origin);
    if (trace.damage() != null) {
      json.writeStringField("trace.damage", trace.damage().toString());
    }
    // Whether the facts above were checked, and whether the recording is whole.
    json.writeBooleanField("trace.header.checked", trace.headerChecked());
    if (trace.end() != null) {
      json.writeStringField("trace.end", trace.end().describe());
      json.writeNumberField("trace.end.time.ns", trace.end().time());
    }
    json.writeEndObject();
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** Opens an event object with the fields every viewer needs. */
  private void begin(String phase, String name, int thread, long time) throws IOException {
    json.writeStartObject();
    json.writeStringField("ph", phase);
    json.writeStringField("name", name);
    json.writeNumberField("pid", PID);
    json.writeNumberField("tid", thread);
    json.writeFieldName("ts");
    json.writeNumber(between(origin, time));
  }

  private void end() throws IOException {
    json.writeEndObject();
    written++;
  }

  private String threadName(int thread) {
    String name = trace.threads().get(thread);
    return name != null ? name : "thread " + thread;
  }

  private static String sliceName(TraceEvent e) {
    switch (e.type()) {
      case POLL:
        return "poll (idle)";
      case WORK:
        return "work";
      default:
        return e.label();
    }
  }

  private static String sliceCategory(TraceEvent e) {
    CallbackKind kind = e.callbackKind();
    if (kind != null) {
      return kind.label();
    }
    return e.type() == EventType.SPAN ? "span" : "loop";
  }

  /**
   * Nanoseconds as exact decimal microseconds: 1234567 becomes "1234.567". Every long, even
   * {@link Long#MIN_VALUE}, whose absolute value a long cannot hold: the quotient and remainder
   * are taken before the sign is dropped.
   */
  static String micros(long nanos) {
    long whole = Math.abs(nanos / 1000);
    long frac = Math.abs(nanos % 1000);
    StringBuilder s = new StringBuilder(24);
    if (nanos < 0) {
      s.append('-');
    }
    s.append(whole).append('.');
    if (frac < 100) {
      s.append(frac < 10 ? "00" : "0");
    }
    return s.append(frac).toString();
  }

  /**
   * {@code to - from} nanoseconds as {@link #micros}, exactly even where the difference does
   * not fit in a long (a damaged or forged trace's times may be anywhere).
   */
  static String between(long from, long to) {
    long d = to - from;
    // Overflow when the operands' signs differ and the result's sign differs from to's.
    if (((to ^ from) & (to ^ d)) < 0) {
      return java.math.BigDecimal.valueOf(to).subtract(java.math.BigDecimal.valueOf(from))
          .movePointLeft(3).setScale(3).toPlainString();
    }
    return micros(d);
  }

  /** A write that may fail, run where only unchecked exceptions may leave. */
  @FunctionalInterface
  private interface Write {
    void run() throws IOException;
  }

  private static void writeOrThrow(Write w) {
    try {
      w.run();
    } catch (IOException e) {
      throw new WriteFailure(e);
    }
  }

  /** A failed write of the JSON, carried out of visitor callbacks. */
  private static final class WriteFailure extends UncheckedIOException {
    WriteFailure(IOException cause) {
      super(cause);
    }
  }
}
