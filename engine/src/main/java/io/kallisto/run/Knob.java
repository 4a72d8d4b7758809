package io.kallisto.run;

import io.kallisto.scenario.Scenario;

/**
 * A scenario field that running capped ({@code --force}) may lower to fit a
 * {@link ResourceBudget}, with the least value it may take.
 */
public enum Knob {
  TIMERS("timers.perWorker", 0),
  OUTSTANDING("workload.outstanding", 1),
  RATE("workload.rate", 1),
  PAYLOAD("workload.payloadBytes", 0),
  CONNECTIONS("workload.connections", 1),
  WORKERS("workers", 1);

  private final String field;
  private final long least;

  Knob(String field, long least) {
    this.field = field;
    this.least = least;
  }

  /** The field's JSON path in a scenario file, without the {@code $.}. */
  public String field() {
    return field;
  }

  /** The least value capping may leave. */
  public long least() {
    return least;
  }

  /** The field's value in {@code s}. */
  public long get(Scenario s) {
    Scenario.Workload w = s.workload();
    return switch (this) {
      case TIMERS -> s.timers().perWorker();
      case OUTSTANDING -> w.outstanding();
      case RATE -> (long) Math.ceil(w.rate());
      case PAYLOAD -> w.payloadBytes();
      case CONNECTIONS -> w.connections();
      case WORKERS -> s.workers();
    };
  }

  /** {@code s} with this field set to {@code value}. */
  public Scenario with(Scenario s, long value) {
    Scenario.Workload w = s.workload();
    int v = (int) Math.min(Integer.MAX_VALUE, value);
    return switch (this) {
      case TIMERS -> s.withTimers(new Scenario.TimerStorm(v, s.timers().interval()));
      case OUTSTANDING -> s.withWorkload(new Scenario.Workload(w.loop(), w.connections(), v,
          w.rate(), w.arrivals(), w.mix(), w.payloadBytes(), w.maxRequests()));
      case RATE -> s.withWorkload(new Scenario.Workload(w.loop(), w.connections(),
          w.outstanding(), value, w.arrivals(), w.mix(), w.payloadBytes(), w.maxRequests()));
      case PAYLOAD -> s.withWorkload(new Scenario.Workload(w.loop(), w.connections(),
          w.outstanding(), w.rate(), w.arrivals(), w.mix(), v, w.maxRequests()));
      case CONNECTIONS -> s.withWorkload(new Scenario.Workload(w.loop(), v, w.outstanding(),
          w.rate(), w.arrivals(), w.mix(), w.payloadBytes(), w.maxRequests()));
      case WORKERS -> s.withWorkers(v);
    };
  }
}
