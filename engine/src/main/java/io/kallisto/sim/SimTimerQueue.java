package io.kallisto.sim;

import io.kallisto.event.HeapTimerQueue;
import io.kallisto.event.TimerNode;
import io.kallisto.event.TimerQueue;

/** The engine's timer heap, charging {@link SimulationCosts#timerNanos()} for each arm. */
final class SimTimerQueue implements TimerQueue {
  private final HeapTimerQueue heap = new HeapTimerQueue();
  private final Simulation sim;

  SimTimerQueue(Simulation sim) {
    this.sim = sim;
  }

  // TimerQueue

  @Override
  public void add(TimerNode node) {
    if (sim.running() != null) {
      sim.advance(sim.costs().timerNanos());
    }
    heap.add(node);
  }

  @Override
  public void remove(TimerNode node) {
    heap.remove(node);
  }

  @Override
  public TimerNode peek() {
    return heap.peek();
  }

  @Override
  public TimerNode poll() {
    return heap.poll();
  }

  @Override
  public int size() {
    return heap.size();
  }
}
