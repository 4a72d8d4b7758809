package io.kallisto.exercises.timers;

import io.kallisto.event.TimerNode;

/** A timer node for tests: a deadline, an enable sequence, and a name. Part of the tests. */
final class Node extends TimerNode {
  final String name;

  Node(String name, long deadline, long sequence) {
    this.name = name;
    schedule(deadline, sequence);
  }

  /** Sets a new deadline and sequence; only while not queued, as the dispatcher does. */
  Node reschedule(long deadline, long sequence) {
    schedule(deadline, sequence);
    return this;
  }

  @Override
  public String toString() {
    return name + "(deadline " + deadlineNanos() + ", seq " + sequence() + ")";
  }
}
