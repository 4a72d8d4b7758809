package io.kallisto.sim;

/** How a {@link Simulation} hands its simulated cores to loops that have work. */
public enum Scheduler {
  /**
   * First come, first served: loops get a core in the order they became runnable (ties in the
   * order of their wake-up events). Deterministic without a seed.
   */
  FIFO,
  /**
   * Seeded random interleaving: a free core goes to a runnable loop drawn at random, and every
   * wake-up from sleep is late by a random extra of up to one wakeup cost. The same seed gives
   * the same interleaving; another seed, another one.
   */
  RANDOM
}
