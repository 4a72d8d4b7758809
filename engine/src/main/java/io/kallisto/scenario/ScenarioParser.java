package io.kallisto.scenario;

import static io.kallisto.scenario.Messages.child;
import static io.kallisto.scenario.Messages.quote;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.kallisto.scenario.Scenario.Arrivals;
import io.kallisto.scenario.Scenario.BalancePolicy;
import io.kallisto.scenario.Scenario.ConfigPush;
import io.kallisto.scenario.Scenario.Distribution;
import io.kallisto.scenario.Scenario.Engine;
import io.kallisto.scenario.Scenario.Listener;
import io.kallisto.scenario.Scenario.ListenerMode;
import io.kallisto.scenario.Scenario.LoopMode;
import io.kallisto.scenario.Scenario.Named;
import io.kallisto.scenario.Scenario.RequestKind;
import io.kallisto.scenario.Scenario.RequestMix;
import io.kallisto.scenario.Scenario.SchedulerPolicy;
import io.kallisto.scenario.Scenario.ServiceTime;
import io.kallisto.scenario.Scenario.SimulationSettings;
import io.kallisto.scenario.Scenario.TimerStorm;
import io.kallisto.scenario.Scenario.Workload;
import io.kallisto.files.InputFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads a scenario file into a {@link Scenario}, checking every value before building anything.
 * The whole schema, with ranges and defaults, is in {@code docs/scenarios.md}.
 *
 * <pre>{@code
 * Scenario s = ScenarioParser.parse(Path.of("my.json"));
 * Scenario t = ScenarioParser.parse("{\"workers\": 4}", "inline.json");  // named "inline"
 * }</pre>
 *
 * <p>Every problem is a {@link ScenarioException} with a one-line message such as
 * {@code my.json: $.workload.rate: 0 is out of range; allowed: a number from 1 to 10000000
 * requests per second}. Only the first problem is reported, and which one is first never
 * depends on anything but the text. Each object is checked in four steps, and an object's check
 * finishes before the fields after it are looked at:
 *
 * <ol>
 *   <li>each field's own value, in document order (a nested object is checked whole, here);
 *   <li>fields that are always required but missing, in schema order;
 *   <li>fields that are present but do not apply, given the others, in document order
 *       ({@code rate} in a closed loop, {@code service} on an echo request);
 *   <li>fields that are missing but required, given the others ({@code rate} in an open loop).
 * </ol>
 *
 * <p>A field a scenario does not mention gets its default. Fields that do not apply take a fixed
 * value, so that equal files give equal scenarios: a closed loop's {@code rate} is 0 and its
 * {@code arrivals} {@link Arrivals#POISSON}, an open loop's {@code outstanding} is 1, an echo
 * request's service time is {@link ServiceTime#ZERO}, and a reuse-port listener's balance is
 * {@link BalancePolicy#ROUND_ROBIN}. An unset {@code warmup} is 1s, or half the duration if that
 * is less. {@link ScenarioWriter} leaves these fields out, so parse and write round-trip.
 *
 * <p>The tree is read with Jackson's tree model, never data binding: the file decides nothing
 * about which classes are built. Duplicate keys and content after the top-level object are
 * errors.
 */
public final class ScenarioParser {
  /** The top-level fields, in the order messages list them and {@link ScenarioWriter} writes. */
  static final List<String> SCENARIO_FIELDS = List.of("name", "description", "workers",
      "listener", "workload", "duration", "warmup", "timers", "configPush", "seed", "tracing",
      "loadThreads", "engine", "simulation");
  static final List<String> LISTENER_FIELDS = List.of("mode", "balance");
  static final List<String> WORKLOAD_FIELDS = List.of("loop", "connections", "outstanding",
      "rate", "arrivals", "mix", "payloadBytes", "maxRequests");
  static final List<String> MIX_FIELDS = List.of("kind", "weight", "service");
  static final List<String> SERVICE_FIELDS = List.of("distribution", "mean");
  static final List<String> TIMERS_FIELDS = List.of("perWorker", "interval");
  static final List<String> CONFIG_PUSH_FIELDS = List.of("every");
  static final List<String> SIMULATION_FIELDS = List.of("cores", "scheduler", "latency");

  /** The most connections a real run opens; a simulated one may open {@link #MAX_CONNECTIONS}. */
  public static final int MAX_REAL_CONNECTIONS = 10_000;
  /** The most connections a simulated run opens. */
  public static final int MAX_CONNECTIONS = 1_000_000;

  /**
   * What a scenario's {@code name} may be: it names the trace file a scenario with
   * {@code "tracing": true} writes ({@code NAME.ktrace}, in the working directory), so it is a
   * plain file name: a letter or digit, then up to 63 letters, digits, dots, dashes or
   * underscores, never {@code ..}.
   */
  public static final java.util.regex.Pattern NAME =
      java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final String NAME_ALLOWED = "a letter or digit, then up to 63 letters, digits,"
      + " '.', '-' or '_', without '..' (it names the file NAME.ktrace)";

  /** Largest scenario file read; real ones are a few hundred bytes. */
  static final int MAX_FILE_BYTES = 1 << 20;

  /** The shortest {@code duration} a scenario may have. */
  public static final Duration MIN_DURATION = Duration.ofMillis(100);
  /** The longest {@code duration} a scenario may have. */
  public static final Duration MAX_DURATION = Duration.ofHours(1);
  static final Duration DEFAULT_DURATION = Duration.ofSeconds(5);
  static final Duration DEFAULT_WARMUP = Duration.ofSeconds(1);
  static final Listener DEFAULT_LISTENER =
      new Listener(ListenerMode.REUSE_PORT, BalancePolicy.ROUND_ROBIN);
  static final List<RequestMix> DEFAULT_MIX =
      List.of(new RequestMix(RequestKind.ECHO, 1, ServiceTime.ZERO));
  static final Workload DEFAULT_WORKLOAD =
      new Workload(LoopMode.CLOSED, 16, 1, 0, Arrivals.POISSON, DEFAULT_MIX, 64, 0);

  private static final String RATE_ALLOWED =
      "a number from 1 to 10000000 requests per second";
  private static final String WEIGHT_ALLOWED = "a number greater than 0 and at most 1000000";
  private static final String SERVICE_EXAMPLE =
      "an object such as {\"distribution\": \"fixed\", \"mean\": \"20ms\"}";

  private static final ObjectMapper JSON = JsonMapper.builder()
      // Exact decimals: 1e400 stays out of range instead of becoming Infinity.
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private final String source;
  private final String defaultName;

  private ScenarioParser(String source, String defaultName) {
    this.source = source;
    this.defaultName = defaultName;
  }

  /**
   * Parses {@code json}. The scenario's name, unless the text gives one, is {@code source}'s base
   * name without {@code .json}, made a valid name (see {@link #nameFrom}).
   *
   * @param source names the text in messages, e.g. a file name
   * @throws ScenarioException for the first problem found
   */
  public static Scenario parse(String json, String source) {
    ScenarioParser parser = new ScenarioParser(source, nameFrom(baseName(source)));
    try {
      return parser.read(JSON.createParser(json));
    } catch (IOException e) {
      throw parser.unreadable(e);
    }
  }

  /**
   * Reads and parses {@code file}, at most {@value #MAX_FILE_BYTES} bytes of UTF-8 (or UTF-16/32,
   * which Jackson detects), counted as read: a FIFO, device or directory is refused before it is
   * opened. The scenario's name, unless the file gives one, is the file's name without
   * {@code .json}, made a valid name (see {@link #nameFrom}); messages name the file as given.
   *
   * @throws ScenarioException if the file cannot be read, or for the first problem found
   */
  public static Scenario parse(Path file) {
    String source = file.toString();
    Path fileName = file.getFileName();
    ScenarioParser parser = new ScenarioParser(source,
        nameFrom(baseName(fileName == null ? source : fileName.toString())));
    byte[] bytes;
    try {
      // Never Files.size(): a device says 0 and never ends, a FIFO blocks the open.
      bytes = InputFiles.readAtMost(file, MAX_FILE_BYTES);
    } catch (UncheckedIOException e) {
      IOException cause = e.getCause();
      if (cause instanceof InputFiles.NotRegular) {
        throw new ScenarioException(source, "", ((InputFiles.NotRegular) cause).getReason()
            + "; allowed: a scenario file");
      }
      if (cause instanceof InputFiles.TooLarge) {
        throw new ScenarioException(source, "", ((InputFiles.TooLarge) cause).getReason()
            + "; allowed: at most " + MAX_FILE_BYTES + " bytes");
      }
      throw parser.unreadable(cause);
    }
    try {
      return parser.read(JSON.createParser(bytes));
    } catch (IOException e) {
      throw parser.unreadable(e);
    }
  }

  /** True when {@code name} may be a scenario's name: see {@link #NAME}. */
  public static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches() && !name.contains("..");
  }

  /**
   * A valid name made from a file's base name: characters a name may not have become
   * {@code -}, and it is cut to 64 characters; {@code "scenario"} if nothing is left.
   */
  static String nameFrom(String baseName) {
    String n = baseName.replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("\\.{2,}", ".")
        .replaceAll("^[^A-Za-z0-9]+", "");
    if (n.length() > 64) {
      n = n.substring(0, 64);
    }
    return isValidName(n) ? n : "scenario";
  }

  /** {@code dir/my.json} → {@code my}; never empty. */
  static String baseName(String source) {
    int slash = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
    String name = source.substring(slash + 1);
    if (name.regionMatches(true, Math.max(0, name.length() - 5), ".json", 0, 5)) {
      name = name.substring(0, name.length() - 5);
    }
    return name.isBlank() ? "scenario" : name;
  }

  private Scenario read(JsonParser parser) {
    JsonNode root;
    try (parser) {
      root = JSON.readTree(parser);
      if (root != null && parser.nextToken() != null) {
        throw new ScenarioException(source, at(parser.currentTokenLocation()),
            "invalid JSON: more content after the scenario object; allowed: one JSON object");
      }
    } catch (JacksonException e) {
      String message = String.valueOf(e.getOriginalMessage())
          // "(start marker at [Source: ...; line: 1, column: 1])" -> "(start marker at 1:1)"
          .replaceAll("\\[Source: [^\\]]*?; line: (-?\\d+), column: (-?\\d+)\\]", "$1:$2");
      throw new ScenarioException(source, at(e.getLocation()),
          "invalid JSON: " + oneLine(message));
    } catch (IOException e) {
      throw unreadable(e);
    }
    if (root == null) {
      throw fail("$", "expected an object, got nothing (the input is empty)");
    }
    return scenario(root);
  }

  private ScenarioException unreadable(IOException e) {
    String why;
    if (e instanceof NoSuchFileException) {
      why = "no such file";
    } else if (e instanceof AccessDeniedException) {
      why = "permission denied";
    } else {
      why = "cannot read: " + oneLine(String.valueOf(e.getMessage()));
    }
    return new ScenarioException(source, "", why);
  }

  private static String at(JsonLocation location) {
    return location == null || location.getLineNr() < 1
        ? "" : location.getLineNr() + ":" + location.getColumnNr();
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }

  // The schema, one method per object

  private Scenario scenario(JsonNode node) {
    String at = "$";
    checkObject(node, at);
    String name = defaultName;
    String description = "";
    int workers = 2;
    Listener listener = DEFAULT_LISTENER;
    Workload workload = DEFAULT_WORKLOAD;
    Duration duration = DEFAULT_DURATION;
    Duration warmup = null;
    String warmupText = null;
    TimerStorm timers = TimerStorm.NONE;
    ConfigPush configPush = ConfigPush.NONE;
    long seed = 1;
    boolean tracing = false;
    int loadThreads = 1;
    Engine engine = Engine.REAL;
    SimulationSettings simulation = SimulationSettings.DEFAULT;
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String path = child(at, field.getKey());
      JsonNode value = field.getValue();
      switch (field.getKey()) {
        case "name" -> name = name(value, path);
        case "description" -> description = line(value, path, true);
        case "workers" -> workers = (int) integer(value, path, 1, 256, "");
        case "listener" -> listener = listener(value, path);
        case "workload" -> workload = workload(value, path);
        case "duration" -> duration = duration(value, path, MIN_DURATION, MAX_DURATION);
        case "warmup" -> {
          warmup = duration(value, path, Duration.ZERO, MAX_DURATION);
          warmupText = value.textValue();
        }
        case "timers" -> timers = timers(value, path);
        case "configPush" -> configPush = configPush(value, path);
        case "seed" -> seed = integer(value, path, Long.MIN_VALUE, Long.MAX_VALUE, "");
        case "tracing" -> tracing = bool(value, path);
        case "loadThreads" -> loadThreads = (int) integer(value, path, 1, 16, "");
        case "engine" -> engine = oneOf(value, path, Engine.class, "an engine");
        case "simulation" -> simulation = simulation(value, path);
        default -> throw unknownField(path, field.getKey(), SCENARIO_FIELDS);
      }
    }
    if (node.has("simulation") && engine != Engine.SIMULATED) {
      throw doesNotApply(node, at, "simulation", "engine", engine, Engine.SIMULATED);
    }
    if (engine == Engine.REAL && workload.connections() > MAX_REAL_CONNECTIONS) {
      throw fail("$.workload.connections", tooManyConnections(workload.connections()));
    }
    // At least half the run is measured; withDuration() keeps the same rule.
    Duration half = duration.dividedBy(2);
    if (warmup == null) {
      warmup = DEFAULT_WARMUP.compareTo(half) > 0 ? half : DEFAULT_WARMUP;
    } else if (warmup.compareTo(half) > 0) {
      throw fail(child(at, "warmup"), quote(warmupText) + " is too long for a "
          + "duration of " + Durations.format(duration) + "; allowed: a duration from 0s to "
          + Durations.format(half) + " (half the duration)");
    }
    return new Scenario(name, description, workers, listener, workload, duration, warmup, timers,
        configPush, seed, tracing, loadThreads, engine, simulation);
  }

  /**
   * Why a real run cannot open {@code connections}, or null if it can: one line for a parser
   * error or a command-line override that switches a big simulated scenario to the real engine.
   */
  public static String tooManyConnections(int connections) {
    return connections <= MAX_REAL_CONNECTIONS ? null : connections + " is out of range for engine"
        + " \"real\"; allowed: an integer from 1 to " + MAX_REAL_CONNECTIONS + " (up to "
        + MAX_CONNECTIONS + " with \"engine\": \"simulated\")";
  }

  private SimulationSettings simulation(JsonNode node, String at) {
    checkObject(node, at);
    SimulationSettings d = SimulationSettings.DEFAULT;
    int cores = d.cores();
    SchedulerPolicy scheduler = d.scheduler();
    Duration latency = d.latency();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String path = child(at, field.getKey());
      JsonNode value = field.getValue();
      switch (field.getKey()) {
        case "cores" -> cores = (int) integer(value, path, 0, 4096,
            "simulated cores (0: one for each simulated thread)");
        case "scheduler" -> scheduler = oneOf(value, path, SchedulerPolicy.class, "a scheduler");
        case "latency" -> latency = duration(value, path, Duration.ZERO, Duration.ofSeconds(1));
        default -> throw unknownField(path, field.getKey(), SIMULATION_FIELDS);
      }
    }
    return new SimulationSettings(cores, scheduler, latency);
  }

  private Listener listener(JsonNode node, String at) {
    checkObject(node, at);
    ListenerMode mode = DEFAULT_LISTENER.mode();
    BalancePolicy balance = DEFAULT_LISTENER.balance();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String path = child(at, field.getKey());
      switch (field.getKey()) {
        case "mode" -> mode = oneOf(field.getValue(), path, ListenerMode.class, "a listener mode");
        case "balance" ->
            balance = oneOf(field.getValue(), path, BalancePolicy.class, "a balance policy");
        default -> throw unknownField(path, field.getKey(), LISTENER_FIELDS);
      }
    }
    if (node.has("balance") && mode != ListenerMode.SINGLE_ACCEPTOR) {
      throw doesNotApply(node, at, "balance", "mode", mode, ListenerMode.SINGLE_ACCEPTOR);
    }
    return new Listener(mode, balance);
  }

  private Workload workload(JsonNode node, String at) {
    checkObject(node, at);
    Workload d = DEFAULT_WORKLOAD;
    LoopMode loop = d.loop();
    int connections = d.connections();
    int outstanding = d.outstanding();
    double rate = 0;
    Arrivals arrivals = d.arrivals();
    List<RequestMix> mix = d.mix();
    int payloadBytes = d.payloadBytes();
    long maxRequests = d.maxRequests();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String path = child(at, field.getKey());
      JsonNode value = field.getValue();
      switch (field.getKey()) {
        case "loop" -> loop = oneOf(value, path, LoopMode.class, "a loop mode");
        case "connections" -> connections = (int) integer(value, path, 1, MAX_CONNECTIONS, "");
        case "outstanding" ->
            outstanding = (int) integer(value, path, 1, 1024, "requests per connection");
        case "rate" -> rate = number(value, path, BigDecimal.ONE, false,
            BigDecimal.valueOf(10_000_000), RATE_ALLOWED);
        case "arrivals" -> arrivals = oneOf(value, path, Arrivals.class, "an arrival process");
        case "mix" -> mix = mix(value, path);
        case "payloadBytes" -> payloadBytes = (int) integer(value, path, 0, 1 << 20, "bytes");
        case "maxRequests" ->
            maxRequests = integer(value, path, 0, 1_000_000_000_000L, "(0 for no limit)");
        default -> throw unknownField(path, field.getKey(), WORKLOAD_FIELDS);
      }
    }
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String name = field.getKey();
      if (loop == LoopMode.OPEN && name.equals("outstanding")) {
        throw doesNotApply(node, at, name, "loop", loop, LoopMode.CLOSED);
      }
      if (loop == LoopMode.CLOSED && (name.equals("rate") || name.equals("arrivals"))) {
        throw doesNotApply(node, at, name, "loop", loop, LoopMode.OPEN);
      }
    }
    if (loop == LoopMode.OPEN && !node.has("rate")) {
      throw fail(child(at, "rate"), "missing, but required for loop \"open\"; allowed: "
          + RATE_ALLOWED);
    }
    if (loop == LoopMode.OPEN) {
      outstanding = d.outstanding();
    }
    return new Workload(loop, connections, outstanding, rate, arrivals, mix, payloadBytes,
        maxRequests);
  }

  private List<RequestMix> mix(JsonNode node, String at) {
    if (!node.isArray()) {
      throw wrongType(at, "an array", node);
    }
    if (node.isEmpty()) {
      throw fail(at, "empty; allowed: one or more requests, such as [{\"kind\": \"echo\"}]");
    }
    List<RequestMix> mix = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      mix.add(request(node.get(i), at + "[" + i + "]"));
    }
    return mix;
  }

  private RequestMix request(JsonNode node, String at) {
    checkObject(node, at);
    RequestKind kind = null;
    double weight = 1;
    ServiceTime service = null;
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String path = child(at, field.getKey());
      JsonNode value = field.getValue();
      switch (field.getKey()) {
        case "kind" -> kind = oneOf(value, path, RequestKind.class, "a request kind");
        case "weight" ->
            weight = number(value, path, BigDecimal.ZERO, true, BigDecimal.valueOf(1_000_000),
                WEIGHT_ALLOWED);
        case "service" -> service = service(value, path);
        default -> throw unknownField(path, field.getKey(), MIX_FIELDS);
      }
    }
    if (kind == null) {
      throw fail(child(at, "kind"), "missing; allowed: " + allowedNames(RequestKind.class));
    }
    if (kind == RequestKind.ECHO && service != null) {
      throw fail(child(at, "service"), "echo requests have no service time; allowed: remove "
          + "service, or set kind to \"cpu\" or \"sleep\"");
    }
    if (kind != RequestKind.ECHO && service == null) {
      throw fail(child(at, "service"), "missing, but required for kind " + quote(kind.json())
          + "; allowed: " + SERVICE_EXAMPLE);
    }
    return new RequestMix(kind, weight, kind == RequestKind.ECHO ? ServiceTime.ZERO : service);
  }

  private ServiceTime service(JsonNode node, String at) {
    checkObject(node, at);
    Distribution distribution = Distribution.FIXED;
    Duration mean = null;
    Duration maxMean = Duration.ofSeconds(10);
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String path = child(at, field.getKey());
      switch (field.getKey()) {
        case "distribution" ->
            distribution = oneOf(field.getValue(), path, Distribution.class, "a distribution");
        case "mean" -> mean = duration(field.getValue(), path, Duration.ZERO, maxMean);
        default -> throw unknownField(path, field.getKey(), SERVICE_FIELDS);
      }
    }
    if (mean == null) {
      throw fail(child(at, "mean"), "missing; allowed: " + Durations.range(Duration.ZERO, maxMean));
    }
    return new ServiceTime(distribution, mean);
  }

  private TimerStorm timers(JsonNode node, String at) {
    checkObject(node, at);
    int perWorker = 0;
    Duration interval = Duration.ofMillis(10);
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String path = child(at, field.getKey());
      switch (field.getKey()) {
        case "perWorker" ->
            perWorker = (int) integer(field.getValue(), path, 0, 100_000, "timers per worker");
        case "interval" -> interval = duration(field.getValue(), path, Duration.ofMillis(1),
            Duration.ofSeconds(10));
        default -> throw unknownField(path, field.getKey(), TIMERS_FIELDS);
      }
    }
    return new TimerStorm(perWorker, interval);
  }

  private ConfigPush configPush(JsonNode node, String at) {
    checkObject(node, at);
    Duration min = Duration.ofMillis(1);
    Duration every = null;
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String path = child(at, field.getKey());
      switch (field.getKey()) {
        case "every" -> every = duration(field.getValue(), path, min, MAX_DURATION);
        default -> throw unknownField(path, field.getKey(), CONFIG_PUSH_FIELDS);
      }
    }
    if (every == null) {
      throw fail(child(at, "every"), "missing; allowed: " + Durations.range(min, MAX_DURATION));
    }
    return new ConfigPush(every);
  }

  // Values

  private void checkObject(JsonNode node, String at) {
    if (!node.isObject()) {
      throw wrongType(at, "an object", node);
    }
  }

  private boolean bool(JsonNode node, String at) {
    if (!node.isBoolean()) {
      throw wrongType(at, "a boolean", node);
    }
    return node.booleanValue();
  }

  /** A string of one line; empty only if {@code emptyOk}. */
  private String name(JsonNode node, String at) {
    String text = line(node, at, false);
    if (!isValidName(text)) {
      throw fail(at, quote(text) + " is not a name; allowed: " + NAME_ALLOWED);
    }
    return text;
  }

  private String line(JsonNode node, String at, boolean emptyOk) {
    if (!node.isTextual()) {
      throw wrongType(at, "a string", node);
    }
    String text = node.textValue();
    if (!emptyOk && text.isBlank()) {
      throw fail(at, quote(text) + " is blank; allowed: a non-blank string of one line");
    }
    if (text.chars().anyMatch(Character::isISOControl)
        || text.indexOf('\u2028') >= 0 || text.indexOf('\u2029') >= 0) {
      throw fail(at, quote(text) + " has a line break or control character; allowed: "
          + (emptyOk ? "" : "a non-blank ") + "string of one line");
    }
    return text;
  }

  /**
   * An integer in [min, max]. A number with a zero fraction ({@code 2.0}, {@code 1e12}) counts
   * as an integer, so that large values may be written with an exponent.
   */
  private long integer(JsonNode node, String at, long min, long max, String unit) {
    if (!node.isNumber() || !isIntegral(node.decimalValue())) {
      throw wrongType(at, "an integer", node);
    }
    BigDecimal value = node.decimalValue();
    if (value.compareTo(BigDecimal.valueOf(min)) < 0
        || value.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw fail(at, Messages.number(node) + " is out of range; allowed: an integer from " + min
          + " to " + max + (unit.isEmpty() ? "" : " " + unit));
    }
    return value.longValueExact();
  }

  private static boolean isIntegral(BigDecimal value) {
    return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
  }

  /** A number from {@code min} (exclusive if {@code minExclusive}) to {@code max}. */
  private double number(JsonNode node, String at, BigDecimal min, boolean minExclusive,
      BigDecimal max, String allowed) {
    if (!node.isNumber()) {
      throw wrongType(at, "a number", node);
    }
    BigDecimal value = node.decimalValue();
    int low = value.compareTo(min);
    // The double is checked too: 1e-400 is above 0 but rounds to it.
    double result = value.doubleValue();
    int lowAsDouble = Double.compare(result, min.doubleValue());
    if (low < 0 || (minExclusive && (low == 0 || lowAsDouble <= 0))
        || value.compareTo(max) > 0) {
      throw fail(at, Messages.number(node) + " is out of range; allowed: " + allowed);
    }
    return result;
  }

  private Duration duration(JsonNode node, String at, Duration min, Duration max) {
    if (!node.isTextual()) {
      throw wrongType(at, "a duration string such as \"250ms\"", node);
    }
    String text = node.textValue();
    String problem = Durations.problem(text);
    if (problem != null) {
      throw fail(at, problem + "; allowed: " + Durations.ALLOWED);
    }
    BigDecimal nanos = Durations.nanos(text);
    if (nanos.compareTo(BigDecimal.valueOf(min.toNanos())) < 0
        || nanos.compareTo(BigDecimal.valueOf(max.toNanos())) > 0) {
      throw fail(at, quote(text) + " is out of range; allowed: " + Durations.range(min, max));
    }
    return Duration.ofNanos(nanos.longValueExact());
  }

  /** The constant of {@code type} whose {@link Named#json()} is the node's text. */
  private <E extends Enum<E> & Named> E oneOf(JsonNode node, String at, Class<E> type,
      String noun) {
    if (!node.isTextual()) {
      throw wrongType(at, "a string", node);
    }
    for (E constant : type.getEnumConstants()) {
      if (constant.json().equals(node.textValue())) {
        return constant;
      }
    }
    throw fail(at, quote(node.textValue()) + " is not " + noun + "; allowed: "
        + allowedNames(type) + Messages.suggestion(node.textValue(), names(type)));
  }

  private static <E extends Enum<E> & Named> List<String> names(Class<E> type) {
    return Arrays.stream(type.getEnumConstants()).map(Named::json).toList();
  }

  private static <E extends Enum<E> & Named> String allowedNames(Class<E> type) {
    return Messages.quotedList(names(type));
  }

  // Errors

  private ScenarioException fail(String path, String problem) {
    return new ScenarioException(source, path, problem);
  }

  private ScenarioException wrongType(String path, String expected, JsonNode got) {
    return fail(path, "expected " + expected + ", got " + Messages.describe(got));
  }

  private ScenarioException unknownField(String path, String name, List<String> allowed) {
    return fail(path, "unknown field; allowed: " + String.join(", ", allowed)
        + Messages.suggestion(name, allowed));
  }

  /**
   * {@code field} is present in the object at {@code at} but has no effect, because {@code
   * switchField} is {@code actual}; it applies only when that is {@code needed}.
   */
  private ScenarioException doesNotApply(JsonNode node, String at, String field,
      String switchField, Named actual, Named needed) {
    return fail(child(at, field), "applies only when " + switchField + " is "
        + quote(needed.json()) + ", not " + quote(actual.json())
        + (node.has(switchField) ? "" : " (the default)") + "; allowed: remove " + field
        + ", or set " + switchField + " to " + quote(needed.json()));
  }
}
