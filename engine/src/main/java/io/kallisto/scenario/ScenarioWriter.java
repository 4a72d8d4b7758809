package io.kallisto.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NumericNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kallisto.scenario.Scenario.ConfigPush;
import io.kallisto.scenario.Scenario.Engine;
import io.kallisto.scenario.Scenario.ListenerMode;
import io.kallisto.scenario.Scenario.LoopMode;
import io.kallisto.scenario.Scenario.RequestKind;
import io.kallisto.scenario.Scenario.RequestMix;
import io.kallisto.scenario.Scenario.TimerStorm;
import io.kallisto.scenario.Scenario.Workload;
import java.io.UncheckedIOException;

/**
 * Writes a {@link Scenario} as a scenario file: every setting that applies, defaults included,
 * in the order of the schema, with durations spelled by {@link Durations#format}.
 *
 * <pre>{@code
 * ObjectNode json = ScenarioWriter.toJson(scenario);   // to embed, e.g. in a run summary
 * String text = ScenarioWriter.toText(scenario);       // a file that parses back to scenario
 * }</pre>
 *
 * <p>Fields that do not apply are left out, exactly as {@link ScenarioParser} forbids them:
 * {@code balance} unless the listener is single-acceptor, {@code outstanding} in an open loop,
 * {@code rate} and {@code arrivals} in a closed loop, {@code service} on echo requests, and
 * {@code timers} and {@code configPush} when they are {@link TimerStorm#NONE} and {@link
 * ConfigPush#NONE}, and {@code simulation} unless the engine is simulated. So {@code ScenarioParser.parse(toText(s), ...)} equals {@code s} for every
 * {@code s} the parser made.
 *
 * <p><b>Note:</b> the writer does not validate. A scenario built in code with values the parser
 * would refuse is written as it is, and will not parse back.
 */
public final class ScenarioWriter {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private ScenarioWriter() {}

  /** The scenario as a new JSON object, owned by the caller. */
  public static ObjectNode toJson(Scenario s) {
    ObjectNode root = NODES.objectNode();
    root.put("name", s.name());
    root.put("description", s.description());
    root.put("workers", s.workers());
    ObjectNode listener = root.putObject("listener");
    listener.put("mode", s.listener().mode().json());
    if (s.listener().mode() == ListenerMode.SINGLE_ACCEPTOR) {
      listener.put("balance", s.listener().balance().json());
    }
    root.set("workload", workload(s.workload()));
    root.put("duration", Durations.format(s.duration()));
    root.put("warmup", Durations.format(s.warmup()));
    if (!s.timers().equals(TimerStorm.NONE)) {
      ObjectNode timers = root.putObject("timers");
      timers.put("perWorker", s.timers().perWorker());
      timers.put("interval", Durations.format(s.timers().interval()));
    }
    if (s.configPush().enabled()) {
      root.putObject("configPush").put("every", Durations.format(s.configPush().every()));
    }
    root.put("seed", s.seed());
    root.put("tracing", s.tracing());
    root.put("loadThreads", s.loadThreads());
    root.put("engine", s.engine().json());
    if (s.engine() == Engine.SIMULATED) {
      ObjectNode sim = root.putObject("simulation");
      sim.put("cores", s.simulation().cores());
      sim.put("scheduler", s.simulation().scheduler().json());
      sim.put("latency", Durations.format(s.simulation().latency()));
    }
    return root;
  }

  /** The scenario as indented JSON text ending in a newline, ready to save as a file. */
  public static String toText(Scenario s) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(s)) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("writing a JSON tree to a string", e);
    }
  }

  private static ObjectNode workload(Workload w) {
    ObjectNode out = NODES.objectNode();
    out.put("loop", w.loop().json());
    out.put("connections", w.connections());
    if (w.loop() == LoopMode.CLOSED) {
      out.put("outstanding", w.outstanding());
    } else {
      out.set("rate", number(w.rate()));
      out.put("arrivals", w.arrivals().json());
    }
    ArrayNode mix = out.putArray("mix");
    for (RequestMix request : w.mix()) {
      ObjectNode entry = mix.addObject();
      entry.put("kind", request.kind().json());
      entry.set("weight", number(request.weight()));
      if (request.kind() != RequestKind.ECHO) {
        ObjectNode service = entry.putObject("service");
        service.put("distribution", request.service().distribution().json());
        service.put("mean", Durations.format(request.service().mean()));
      }
    }
    out.put("payloadBytes", w.payloadBytes());
    out.put("maxRequests", w.maxRequests());
    return out;
  }

  /** {@code 2000} rather than {@code 2000.0} when the value is whole; exact either way. */
  private static NumericNode number(double value) {
    boolean whole = value == Math.rint(value) && Math.abs(value) < 0x1p53;
    return whole ? NODES.numberNode((long) value) : NODES.numberNode(value);
  }
}
