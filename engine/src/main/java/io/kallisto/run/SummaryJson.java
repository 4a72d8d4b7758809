package io.kallisto.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kallisto.files.AtomicOutput;
import io.kallisto.load.LoadResult;
import io.kallisto.scenario.ScenarioWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;

/**
 * A {@link RunSummary} as JSON: the same figures as the text summary, with the scenario as run
 * (in scenario-file form, so it can be run again as it is). Times are in microseconds, rates
 * per second.
 */
public final class SummaryJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SummaryJson() {}

  /** The summary as a JSON tree. */
  public static ObjectNode toJson(RunSummary s) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("kallisto", io.kallisto.KallistoVersion.get());
    root.put("backend", s.backend());
    root.set("scenario", ScenarioWriter.toJson(s.scenario()));
    LoadResult l = s.load();
    ObjectNode load = root.putObject("load");
    load.put("throughput_per_s", l.throughput());
    load.put("sent", l.sent());
    load.put("answered", l.answered());
    load.put("measured", l.measured());
    load.put("window_s", l.windowNanos() / 1e9);
    load.put("stopped_by", l.stoppedBy());
    load.put("corrupt", l.corrupt());
    load.put("unanswered", l.unanswered());
    load.put("skipped", l.skipped());
    load.put("connections_lost", l.connectionsLost());
    latency(load.putObject("latency_us"), l.latency());
    latency(load.putObject("latency_from_send_us"), l.serviceLatency());
    var workers = root.putArray("workers");
    for (WorkerSummary w : s.workers()) {
      ObjectNode o = workers.addObject();
      o.put("name", w.name());
      o.put("requests", w.requests());
      o.put("connections", w.connections());
      o.put("busy_percent", w.busyPercent());
      o.put("loop_duration_p50_us", w.loopP50Micros());
      o.put("loop_duration_p99_us", w.loopP99Micros());
      o.put("loop_duration_max_us", w.loopMaxMicros());
      o.put("poll_delay_p50_us", w.pollDelayP50Micros());
      o.put("poll_delay_p99_us", w.pollDelayP99Micros());
      o.put("wakeups_written", w.wakeupsWritten());
      o.put("wakeups_avoided", w.wakeupsAvoided());
      o.put("timers_fired", w.timersFired());
      o.put("watchdog_misses", w.watchdogMisses());
      o.put("watchdog_mega_misses", w.watchdogMegaMisses());
      o.put("callback_errors", w.callbackErrors());
    }
    ObjectNode push = root.putObject("config_push");
    push.put("pushes", s.configPushes());
    push.put("propagation_p50_us", s.configPropagationP50Micros());
    push.put("propagation_max_us", s.configPropagationMaxMicros());
    root.put("wall_s", s.wallSeconds());
    Interruption cut = s.interruption();
    root.put("interrupted", cut != null);
    if (cut != null) {
      root.put("interrupted_by", cut.reason());
    }
    long planned = s.scenario().duration().toNanos();
    root.put("duration_planned_s", planned / 1e9);
    // A whole run ran until sending stopped: warm-up plus the measured window.
    root.put("duration_run_s", (cut != null ? cut.ranNanos()
        : Math.min(planned, s.scenario().warmup().toNanos() + Math.max(0, l.windowNanos())))
        / 1e9);
    if (s.trace() != null) {
      ObjectNode t = root.putObject("trace");
      t.put("path", s.trace().path().toString());
      t.put("events", s.trace().events());
      t.put("dropped", s.trace().dropped());
    }
    var problems = root.putArray("problems");
    s.problems().forEach(problems::add);
    return root;
  }

  /**
   * Writes the summary to {@code file}, replacing it whole or not at all (see
   * {@link AtomicOutput}).
   *
   * @throws UncheckedIOException naming the file, if it cannot be written
   */
  public static void write(RunSummary s, Path file) {
    byte[] text;
    try {
      text = (MAPPER.writeValueAsString(toJson(s)) + System.lineSeparator())
          .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
    AtomicOutput.write(file, text);
  }

  private static void latency(ObjectNode o, Histogram h) {
    o.put("count", h.getTotalCount());
    for (double p : new double[] {50, 90, 99, 99.9}) {
      o.put("p" + (p == Math.rint(p) ? String.valueOf((int) p) : String.valueOf(p)),
          h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(p) / 1000.0);
    }
    o.put("max", h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1000.0);
  }
}
