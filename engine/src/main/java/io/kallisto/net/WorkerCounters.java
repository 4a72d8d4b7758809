package io.kallisto.net;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one server worker has served: connections and requests. Safe from any thread; each count
 * has a stated writer.
 */
public final class WorkerCounters {
  private final String name;
  private final AtomicInteger active = new AtomicInteger(); // +: acceptor or worker, -: worker
  private final AtomicLong accepted = new AtomicLong(); // written by whoever hands connections out
  private final AtomicLong requests = new AtomicLong(); // written by the worker only
  private final AtomicLong protocolErrors = new AtomicLong(); // written by the worker only
  private final AtomicLong writesBlocked = new AtomicLong(); // written by the worker only

  /** Counters for the worker called {@code name}. */
  public WorkerCounters(String name) {
    this.name = name;
  }

  /** The worker's name. */
  public String name() {
    return name;
  }

  /** Counts a connection handed to this worker: accepted and now active. */
  public void connectionAssigned() {
    accepted.incrementAndGet();
    active.incrementAndGet();
  }

  /** Counts a connection of this worker that closed. */
  public void connectionClosed() {
    active.decrementAndGet();
  }

  /** Adds a closed connection's partial writes ({@link Connection#writesBlocked()}). Worker only. */
  public void addWritesBlocked(long n) {
    writesBlocked.lazySet(writesBlocked.get() + n);
  }

  /** Partial writes by this worker's closed connections: sends that had to wait for the socket. */
  public long writesBlocked() {
    return writesBlocked.get();
  }

  /** Counts a request answered. Called by the worker only (single writer: no lock prefix). */
  public void requestServed() {
    requests.lazySet(requests.get() + 1);
  }

  /** Counts a connection closed for breaking the protocol. Worker only. */
  public void protocolError() {
    protocolErrors.lazySet(protocolErrors.get() + 1);
  }

  /** Connections open now, including ones handed over but not yet set up by the worker. */
  public int activeConnections() {
    return active.get();
  }

  /** Connections handed to this worker so far. */
  public long acceptedConnections() {
    return accepted.get();
  }

  /** Requests answered so far. */
  public long requests() {
    return requests.get();
  }

  /** Connections closed for breaking the protocol. */
  public long protocolErrors() {
    return protocolErrors.get();
  }
}
