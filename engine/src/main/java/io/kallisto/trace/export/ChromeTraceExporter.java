package io.kallisto.trace.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.kallisto.trace.CallbackKind;
import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceEvent;
import io.kallisto.trace.TraceFile;
import io.kallisto.trace.analysis.ReadProgress;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a trace as Chrome Trace Event JSON, the format ui.perfetto.dev, chrome://tracing and
 * speedscope open. Loop iterations, callbacks, spans and server requests become complete slices
 * ({@code "X"}); posts, slot sets and slot completions become slices of no length inside the
 * callback that made them, so that each flow arrow binds to a slice at both ends ({@code
 * bind_id} with {@code flow_out} / {@code flow_in}); client requests become async slices; timer
 * changes, connections, marks and watchdog events become instants ({@code "i"}); recorded and
 * derived counters become counter tracks ({@code "C"}).
 *
 * <pre>{@code
 * try (TraceFile trace = TraceFile.open(Path.of("run.ktrace"))) {
 *   ExportSummary s = new ChromeTraceExporter(trace).export(Path.of("run.json"), null);
 * }
 * }</pre>
 *
 * <p>Events stream from the file to the output in two passes ({@link ExportStream}). Times are
 * microseconds from the trace's first event, written with three decimals so that nanoseconds
 * survive exactly; each complete slice is written to end as many nanoseconds early as it is
 * deep (one for the outermost), so that touching slices never overlap and a child ending with
 * its parent never outlives it, whatever order a reader adds and subtracts in (see
 * {@link #writtenEnd}).
 *
 * <p>Names are stable (a callback's label, "post", "echo request"); ids (flows, requests,
 * connections, timers) go in {@code bind_id}, {@code id} or {@code args}, never in a name.
 */
public final class ChromeTraceExporter extends TraceExporter {
  /** The one process every thread belongs to. */
  public static final int PID = 1;
  /** Above this size a browser viewer struggles: suggest the Perfetto format or a window. */
  public static final long LARGE_JSON_BYTES = 256L << 20;

  private final ExportSink sink = new ExportSink() {
    @Override
    public void nested(ExportSlice slice) {
      ExportOutput.orThrow(() -> writeSlice(slice));
    }

    @Override
    public void unnested(ExportSlice slice) {
      ExportOutput.orThrow(() -> writeUnnested(slice));
    }

    @Override
    public void instant(TraceEvent e) {
      ExportOutput.orThrow(() -> writeInstant(e));
    }

    @Override
    public void counter(TraceEvent e) {
      ExportOutput.orThrow(() -> writeCounter(e));
    }

    @Override
    public void clientRequest(TraceEvent begin, TraceEvent end) {
      ExportOutput.orThrow(() -> writeClientRequest(begin, end));
    }

    @Override
    public void derivedCounter(String name, DerivedCounters.Point p) {
      ExportOutput.orThrow(() -> writeDerivedCounter(name, p));
    }
  };
  private JsonGenerator json;
  private FlowMatch flows;
  private long written;
  private long arrows;
  private long unnested;

  /** An exporter of the whole of {@code trace}, which the caller owns and closes. */
  public ChromeTraceExporter(TraceFile trace) {
    this(trace, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /**
   * An exporter of the events of {@code trace} that overlap [{@code from}, {@code to}] (trace
   * nanoseconds); only the blocks that meet the window are read. Times stay relative to the
   * trace's first event, so a window lines up with an export of the whole.
   */
  public ChromeTraceExporter(TraceFile trace, long from, long to) {
    super(trace, from, to);
  }

  @Override
  ExportSummary write(OutputStream out, ReadProgress progress, String target) {
    written = 0;
    arrows = 0;
    unnested = 0;
    ExportStream stream = new ExportStream(trace, from, to);
    flows = stream.flows();
    try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      json = g;
      g.writeStartObject();
      g.writeArrayFieldStart("traceEvents");
      writeThreadNames();
      stream.run(sink, progress);
      g.writeEndArray();
      g.writeStringField("displayTimeUnit", "ns");
      writeMetadata();
      g.writeEndObject();
    } catch (IOException e) {
      throw ExportOutput.failure(target, e);
    } catch (ExportOutput.WriteFailure e) {
      throw ExportOutput.failure(target, e);
    } finally {
      json = null;
    }
    return new ExportSummary(written, arrows, flows.unmatchedPosts(), unnested);
  }

  // ---- events --------------------------------------------------------------------------------

  private void writeSlice(ExportSlice s) throws IOException {
    TraceEvent e = s.event();
    switch (s.kind()) {
      case REQUEST:
        writeComplete(s, ExportStream.requestKind(e.small()) + " request", "request");
        json.writeObjectFieldStart("args");
        json.writeStringField("kind", ExportStream.requestKind(e.small()));
        writeRequestArgs(e, s.end() - s.start());
        json.writeEndObject();
        break;
      case POINT:
        writeComplete(s, pointName(e), e.type().label());
        writePointFlow(e);
        json.writeObjectFieldStart("args");
        writeInstantArgs(e);
        json.writeEndObject();
        break;
      default:
        writeComplete(s, sliceName(e), sliceCategory(e));
        writeCallbackFlow(e);
        writeSliceArgs(e);
    }
    end();
  }

  /**
   * Opens an {@code "X"} event that ends {@link ExportSlice#level} nanoseconds before the slice
   * does (see {@link #writtenEnd}), so that no reader's float arithmetic can make it overlap the
   * next slice or outlive its parent.
   */
  private void writeComplete(ExportSlice s, String name, String category) throws IOException {
    begin("X", name, s.thread(), s.start());
    json.writeFieldName("dur");
    json.writeNumber(between(s.start(), writtenEnd(s.start(), s.end(), s.level)));
    json.writeStringField("cat", category);
  }

  /**
   * Where a complete slice at nesting {@code level} (1 outermost) from {@code start} to
   * {@code end} is written to end: {@code level} nanoseconds early, but not before it starts.
   * Why: readers add {@code ts + dur} in doubles, and not all in the same way. speedscope 1.25
   * subtracts the thread's first {@code ts} before it adds {@code dur}; a slice that ends exactly
   * where the next begins then ends a rounding error after it, and the importer warns "Tried to
   * end ... when ... was on the top of the stack" and drops the end (353 times on a 3 s
   * head-of-line trace, checked with bench/viewers/check-speedscope.sh). A gap of a whole
   * nanosecond is a million times any rounding error of a trace's microseconds, so touching
   * slices stay apart in every reader; a child that ends with its parent ends one nanosecond
   * before it, since it is one level deeper.
   */
  static long writtenEnd(long start, long end, int level) {
    return Math.max(start, end - Math.max(1, level));
  }

  private void writeSliceArgs(TraceEvent e) throws IOException {
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
          break; // the flow id is the bind_id
      }
      json.writeEndObject();
    } else if (e.type() == EventType.POLL) {
      json.writeObjectFieldStart("args");
      json.writeBooleanField("blocking", e.kind() == 1);
      json.writeEndObject();
    }
  }

  /** A posted callback or slot update ends the arrow from its post or slot set. */
  private void writeCallbackFlow(TraceEvent e) throws IOException {
    CallbackKind kind = e.callbackKind();
    if (kind == CallbackKind.POST && flows.postMatched(e.b())) {
      bind(postFlowId(e.b()), "flow_in");
    } else if (kind == CallbackKind.SLOT_UPDATE && flows.slotMatched(e.b())) {
      bind(slotFlowId(e.b()), "flow_in");
    }
  }

  /** A post or slot set starts an arrow; a slot completion ends the set's arrow to it. */
  private void writePointFlow(TraceEvent e) throws IOException {
    if (e.type() == EventType.POST) {
      if (flows.postMatched(e.b())) {
        bind(postFlowId(e.b()), "flow_out");
      }
    } else if (flows.slotMatched(e.b())) {
      bind(slotFlowId(e.b()), e.type() == EventType.SLOT_SET ? "flow_out" : "flow_in");
    }
  }

  private void bind(String id, String direction) throws IOException {
    json.writeStringField("bind_id", id);
    json.writeBooleanField(direction, true);
    if (direction.equals("flow_in")) {
      arrows++;
    }
  }

  /**
   * A slice that does not nest becomes an async begin/end pair, which viewers draw on a track of
   * its own where overlap is allowed.
   */
  private void writeUnnested(ExportSlice s) throws IOException {
    unnested++;
    TraceEvent e = s.event();
    String name = s.kind() == ExportSlice.Kind.RECORD ? sliceName(e)
        : s.kind() == ExportSlice.Kind.REQUEST ? ExportStream.requestKind(e.small()) + " request"
        : pointName(e);
    String category = s.kind() == ExportSlice.Kind.RECORD ? sliceCategory(e)
        : s.kind() == ExportSlice.Kind.REQUEST ? "request" : e.type().label();
    writeAsync(name, category, "unnested-" + unnested, s.thread(), s.start(), s.end(), null);
  }

  /** A client's request: async, since one load generator thread has many in flight. */
  private void writeClientRequest(TraceEvent begin, TraceEvent end) throws IOException {
    writeAsync("request", "request", "client-" + begin.a(), begin.thread(), begin.time(),
        end.time(), begin);
  }

  private void writeAsync(String name, String category, String id, int thread, long start,
      long finish, TraceEvent request) throws IOException {
    for (String phase : new String[] {"b", "e"}) {
      begin(phase, name, thread, phase.equals("b") ? start : finish);
      json.writeStringField("cat", category);
      json.writeStringField("id", id);
      if (request != null && phase.equals("b")) {
        json.writeObjectFieldStart("args");
        writeRequestArgs(request, finish - start);
        json.writeEndObject();
      }
      end();
    }
  }

  private void writeRequestArgs(TraceEvent begin, long latency) throws IOException {
    json.writeNumberField("request", begin.a());
    json.writeNumberField("connection", begin.b());
    json.writeFieldName("latency_us");
    json.writeNumber(micros(latency));
  }

  private void writeInstant(TraceEvent e) throws IOException {
    begin("i", e.type() == EventType.MARK ? e.label() : e.type().label(), e.thread(), e.time());
    json.writeStringField("s", "t");
    json.writeStringField("cat", e.type().label());
    json.writeObjectFieldStart("args");
    writeInstantArgs(e);
    json.writeEndObject();
    end();
  }

  private void writeInstantArgs(TraceEvent e) throws IOException {
    switch (e.type()) {
      case POST:
        json.writeNumberField("target_dispatcher", e.id());
        json.writeBooleanField("woke_loop", e.kind() == 1);
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

  /** A whole-run counter: one track for the process. */
  private void writeDerivedCounter(String name, DerivedCounters.Point p) throws IOException {
    begin("C", name, 0, p.time());
    json.writeObjectFieldStart("args");
    json.writeNumberField("value", p.value());
    json.writeEndObject();
    end();
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
    // The name alone: an export must not depend on where the trace was put (golden exports).
    Path name = trace.path() == null ? null : trace.path().getFileName();
    json.writeStringField("trace.file", String.valueOf(name));
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
    if (windowed()) {
      json.writeNumberField("export.from.ns", from);
      json.writeNumberField("export.to.ns", to);
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

  private static String pointName(TraceEvent e) {
    return e.type() == EventType.POST ? "post" : e.type() == EventType.SLOT_SET ? "slot set"
        : "slot complete";
  }

  /** Post and slot flows are numbered apart, so each gets a prefix of its own. */
  private static String postFlowId(long flow) {
    return "p" + Long.toHexString(flow);
  }

  private static String slotFlowId(long flow) {
    return "s" + Long.toHexString(flow);
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
}
