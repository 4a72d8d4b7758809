package io.kallisto.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One experiment, as a scenario file describes it: the server's workers and how connections reach
 * them, the load offered, how long it runs, and what else the loops do meanwhile. Values are
 * validated by {@link ScenarioParser}; the constructor only checks that nothing is missing.
 *
 * @param name the scenario's name (a bundled name, or the file's base name)
 * @param description one line: what the scenario shows
 * @param workers server worker threads, one event loop each
 * @param listener how accepted connections are spread over workers
 * @param workload the load generator's connections, arrivals and request mix
 * @param duration how long load is offered, warm-up included
 * @param warmup the first part of {@code duration}, whose latencies are not recorded
 * @param timers extra timers on every worker (a timer storm); {@link TimerStorm#NONE} for none
 * @param configPush a thread-local configuration push to every worker; {@link ConfigPush#NONE}
 *     for none
 * @param seed the random seed for arrivals, the request mix and service times
 * @param tracing whether the run records a trace
 * @param loadThreads the load generator's own threads (dispatchers)
 * @param engine real event loops and sockets, or the deterministic simulation in virtual time
 * @param simulation the simulation's settings; used only when {@code engine} is
 *     {@link Engine#SIMULATED}
 */
public record Scenario(String name, String description, int workers, Listener listener,
    Workload workload, Duration duration, Duration warmup, TimerStorm timers,
    ConfigPush configPush, long seed, boolean tracing, int loadThreads, Engine engine,
    SimulationSettings simulation) {

  /** Checks that no part is missing. */
  public Scenario {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(warmup, "warmup");
    Objects.requireNonNull(timers, "timers");
    Objects.requireNonNull(configPush, "configPush");
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(simulation, "simulation");
  }

  /** This scenario with another duration; the warm-up is capped at half of it. */
  public Scenario withDuration(Duration newDuration) {
    Duration half = newDuration.dividedBy(2);
    return with(c -> {
      c.duration = newDuration;
      c.warmup = warmup.compareTo(half) > 0 ? half : warmup;
    });
  }

  /** This scenario with another seed. */
  public Scenario withSeed(long newSeed) {
    return with(c -> c.seed = newSeed);
  }

  /** This scenario with tracing on or off. */
  public Scenario withTracing(boolean on) {
    return with(c -> c.tracing = on);
  }

  /** This scenario with another number of workers. */
  public Scenario withWorkers(int n) {
    return with(c -> c.workers = n);
  }

  /** This scenario with another workload. */
  public Scenario withWorkload(Workload w) {
    return with(c -> c.workload = w);
  }

  /** This scenario with another timer storm. */
  public Scenario withTimers(TimerStorm t) {
    return with(c -> c.timers = t);
  }

  /** This scenario with another listener. */
  public Scenario withListener(Listener l) {
    return with(c -> c.listener = l);
  }

  /** This scenario on another engine; the simulation settings stay as they are. */
  public Scenario withEngine(Engine e) {
    return with(c -> c.engine = e);
  }

  /** This scenario with other simulation settings. */
  public Scenario withSimulation(SimulationSettings settings) {
    return with(c -> c.simulation = settings);
  }

  /** A copy of this scenario with what {@code change} sets; the constructor checks the result. */
  private Scenario with(Consumer<Copy> change) {
    Copy c = new Copy(this);
    change.accept(c);
    return c.build();
  }

  /**
   * A scenario's components as fields that a {@code with*} method may set: the one place that
   * lists them all for a copy, so that a new component is added here and nowhere else among the
   * {@code with*} methods.
   */
  private static final class Copy {
    String name;
    String description;
    int workers;
    Listener listener;
    Workload workload;
    Duration duration;
    Duration warmup;
    TimerStorm timers;
    ConfigPush configPush;
    long seed;
    boolean tracing;
    int loadThreads;
    Engine engine;
    SimulationSettings simulation;

    Copy(Scenario s) {
      name = s.name;
      description = s.description;
      workers = s.workers;
      listener = s.listener;
      workload = s.workload;
      duration = s.duration;
      warmup = s.warmup;
      timers = s.timers;
      configPush = s.configPush;
      seed = s.seed;
      tracing = s.tracing;
      loadThreads = s.loadThreads;
      engine = s.engine;
      simulation = s.simulation;
    }

    Scenario build() {
      return new Scenario(name, description, workers, listener, workload, duration, warmup,
          timers, configPush, seed, tracing, loadThreads, engine, simulation);
    }
  }

  /**
   * How a simulated run models the machine. See docs/simulation.md.
   *
   * @param cores simulated cores shared by every simulated thread (workers, load threads, the
   *     acceptor, main, the watchdog); 0 for one core each, so that no loop waits for a core
   * @param scheduler which runnable loop gets a free core
   * @param latency one-way network latency added to every message
   */
  public record SimulationSettings(int cores, SchedulerPolicy scheduler, Duration latency) {
    /** A core per loop, FIFO, no added latency. */
    public static final SimulationSettings DEFAULT =
        new SimulationSettings(0, SchedulerPolicy.FIFO, Duration.ZERO);

    /** Checks that no part is missing. */
    public SimulationSettings {
      Objects.requireNonNull(scheduler, "scheduler");
      Objects.requireNonNull(latency, "latency");
    }
  }

  /** Which engine runs a scenario. JSON: {@code "real"}, {@code "simulated"}. */
  public enum Engine implements Named {
    /** Real epoll loops on real threads, TCP over 127.0.0.1. */
    REAL("real"),
    /** Simulated loops and connections in virtual time: deterministic, any number of cores. */
    SIMULATED("simulated");

    private final String json;

    Engine(String json) {
      this.json = json;
    }

    @Override
    public String json() {
      return json;
    }
  }

  /** The simulation's scheduler. JSON: {@code "fifo"}, {@code "random"}. */
  public enum SchedulerPolicy implements Named {
    /** Loops get cores in the order they became runnable. */
    FIFO("fifo"),
    /** Seeded random interleaving: the seed picks who runs and jitters each wake-up. */
    RANDOM("random");

    private final String json;

    SchedulerPolicy(String json) {
      this.json = json;
    }

    @Override
    public String json() {
      return json;
    }
  }

  /**
   * How connections reach workers.
   *
   * @param mode one listener per worker, or one acceptor that hands connections out
   * @param balance the hand-out policy; used only in {@link ListenerMode#SINGLE_ACCEPTOR} mode
   */
  public record Listener(ListenerMode mode, BalancePolicy balance) {
    /** Checks that no part is missing. */
    public Listener {
      Objects.requireNonNull(mode, "mode");
      Objects.requireNonNull(balance, "balance");
    }
  }

  /**
   * The load offered.
   *
   * @param loop open loop (arrivals on a schedule) or closed loop (a new request per response)
   * @param connections connections the load generator opens, spread over its threads
   * @param outstanding closed loop: requests in flight per connection
   * @param rate open loop: requests per second, over all connections
   * @param arrivals open loop: evenly spaced or Poisson arrivals
   * @param mix the kinds of request and their weights; never empty
   * @param payloadBytes bytes of payload in every request, echoed in its response
   * @param maxRequests stop after this many requests have been answered; 0 for no limit
   */
  public record Workload(LoopMode loop, int connections, int outstanding, double rate,
      Arrivals arrivals, List<RequestMix> mix, int payloadBytes, long maxRequests) {
    /** Checks that no part is missing and copies the mix. */
    public Workload {
      Objects.requireNonNull(loop, "loop");
      Objects.requireNonNull(arrivals, "arrivals");
      mix = List.copyOf(mix);
    }
  }

  /**
   * One kind of request in the mix.
   *
   * @param kind what the server does for it
   * @param weight its relative share of requests, greater than 0
   * @param service how long the server works or sleeps; {@link ServiceTime#ZERO} for echo
   */
  public record RequestMix(RequestKind kind, double weight, ServiceTime service) {
    /** Checks that no part is missing. */
    public RequestMix {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(service, "service");
    }
  }

  /**
   * A distribution of service times.
   *
   * @param distribution its shape
   * @param mean its mean; for {@link Distribution#UNIFORM}, values are spread over [0, 2 × mean]
   */
  public record ServiceTime(Distribution distribution, Duration mean) {
    /** No service time: the request is answered at once. */
    public static final ServiceTime ZERO = new ServiceTime(Distribution.FIXED, Duration.ZERO);

    /** Checks that no part is missing. */
    public ServiceTime {
      Objects.requireNonNull(distribution, "distribution");
      Objects.requireNonNull(mean, "mean");
    }
  }

  /**
   * Extra timers on every worker, each re-arming itself every {@code interval}.
   *
   * @param perWorker timers per worker; 0 for none
   * @param interval each timer's period
   */
  public record TimerStorm(int perWorker, Duration interval) {
    /** No extra timers. */
    public static final TimerStorm NONE = new TimerStorm(0, Duration.ofMillis(1));

    /** Checks that no part is missing. */
    public TimerStorm {
      Objects.requireNonNull(interval, "interval");
    }
  }

  /**
   * A new configuration version pushed from the main thread to every worker's thread-local slot.
   *
   * @param every the period between pushes; {@link Duration#ZERO} for none
   */
  public record ConfigPush(Duration every) {
    /** No pushes. */
    public static final ConfigPush NONE = new ConfigPush(Duration.ZERO);

    /** Checks that no part is missing. */
    public ConfigPush {
      Objects.requireNonNull(every, "every");
    }

    /** True when pushes happen. */
    public boolean enabled() {
      return !every.isZero();
    }
  }

  /** How connections reach workers. JSON: {@code "reuse-port"}, {@code "single-acceptor"}. */
  public enum ListenerMode implements Named {
    /**
     * One SO_REUSEPORT listener per worker: the kernel spreads connections (Envoy's default,
     * {@code enable_reuse_port} in api/envoy/config/listener/v3/listener.proto).
     */
    REUSE_PORT("reuse-port"),
    /** One acceptor thread hands each connection to a worker by a {@link BalancePolicy}. */
    SINGLE_ACCEPTOR("single-acceptor");

    private final String json;

    ListenerMode(String json) {
      this.json = json;
    }

    @Override
    public String json() {
      return json;
    }
  }

  /** Which worker a single acceptor hands a connection to. */
  public enum BalancePolicy implements Named {
    /** Each worker in turn. */
    ROUND_ROBIN("round-robin"),
    /**
     * The worker with the fewest open connections: the rule of Envoy's {@code exact_balance}, in a
     * different design (docs/envoy-fidelity.md).
     */
    LEAST_CONNECTIONS("least-connections"),
    /** Of two workers picked at random, the one with fewer open connections. */
    RANDOM_OF_TWO("random-of-two");

    private final String json;

    BalancePolicy(String json) {
      this.json = json;
    }

    @Override
    public String json() {
      return json;
    }
  }

  /** Open or closed loop load. */
  public enum LoopMode implements Named {
    /** Requests arrive on a schedule whatever the server does; latency counts from the schedule. */
    OPEN("open"),
    /** Each connection keeps a fixed number of requests in flight. */
    CLOSED("closed");

    private final String json;

    LoopMode(String json) {
      this.json = json;
    }

    @Override
    public String json() {
      return json;
    }
  }

  /** Open-loop arrival process. */
  public enum Arrivals implements Named {
    /** Evenly spaced at the rate. */
    CONSTANT("constant"),
    /** Exponential gaps with the rate as mean: bursts, as independent clients make. */
    POISSON("poisson");

    private final String json;

    Arrivals(String json) {
      this.json = json;
    }

    @Override
    public String json() {
      return json;
    }
  }

  /** What the server does for a request. */
  public enum RequestKind implements Named {
    /** Sends the payload back at once. */
    ECHO("echo"),
    /** Spins on the worker for the service time, then answers. */
    CPU("cpu"),
    /** Blocks the worker's thread (sleeps) for the service time, then answers. */
    SLEEP("sleep");

    private final String json;

    RequestKind(String json) {
      this.json = json;
    }

    @Override
    public String json() {
      return json;
    }
  }

  /** Shape of a service time distribution. */
  public enum Distribution implements Named {
    /** Always the mean. */
    FIXED("fixed"),
    /** Uniform over [0, 2 × mean]. */
    UNIFORM("uniform"),
    /** Exponential with the mean: mostly short, occasionally long. */
    EXPONENTIAL("exponential");

    private final String json;

    Distribution(String json) {
      this.json = json;
    }

    @Override
    public String json() {
      return json;
    }
  }

  /** An enum constant's spelling in scenario files. */
  public interface Named {
    /** The lower-case, hyphenated name used in JSON. */
    String json();

    /**
     * The constant of {@code type} spelled {@code text}.
     *
     * @throws IllegalArgumentException naming the text and the allowed spellings
     */
    static <E extends Enum<E> & Named> E byJson(Class<E> type, String text) {
      StringBuilder allowed = new StringBuilder();
      for (E constant : type.getEnumConstants()) {
        if (constant.json().equals(text)) {
          return constant;
        }
        allowed.append(allowed.length() == 0 ? "" : ", ").append('"').append(constant.json())
            .append('"');
      }
      throw new IllegalArgumentException('"' + text + "\" is not allowed; allowed: " + allowed);
    }
  }
}
