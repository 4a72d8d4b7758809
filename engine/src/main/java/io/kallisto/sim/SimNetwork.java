package io.kallisto.sim;

import io.kallisto.net.ByteStream;
import io.kallisto.net.StreamReceiver;
import java.util.Objects;

/**
 * The simulated network: makes connected {@link SimStream} pairs and times their messages. A
 * message of {@code n} bytes sent at {@code t} leaves once the sender's previous messages have
 * (at {@link SimulationCosts#bytesPerSecond()}), and arrives
 * {@link SimulationCosts#latencyNanos()} later. Connection ids count 1, 2, 3, ... per network,
 * client end odd, server end even, so a simulation's trace never depends on what else the JVM
 * did.
 *
 * <pre>{@code
 * SimNetwork net = new SimNetwork(sim);
 * SimulatedServer server = SimulatedServer.reusePort(net, pool, seed);
 * // on a simulated loop:
 * ByteStream s = net.connect(loadLoop, server, receiver);
 * }</pre>
 */
public final class SimNetwork {
  private final Simulation sim;
  private long nextId = 1;
  private long connections;

  /** A network for {@code sim}, with its costs' latency and bandwidth. */
  public SimNetwork(Simulation sim) {
    this.sim = Objects.requireNonNull(sim, "sim");
  }

  SimulationCosts costs() {
    return sim.costs();
  }

  /**
   * Opens a connection from {@code client}'s loop to {@code server}: returns the client's end at
   * once (sends queue in the network until the server has accepted); the server hears of it
   * {@link SimulationCosts#latencyNanos()} later. Loop-only, on {@code client}.
   */
  public ByteStream connect(SimulatedDispatcher client, SimulatedServer server,
      StreamReceiver receiver) {
    if (!client.isThreadSafe()) {
      throw new IllegalStateException("connect() must be called on the client's loop '"
          + client.name() + "'");
    }
    SimStream near = new SimStream(this, nextId++);
    SimStream far = new SimStream(this, nextId++);
    near.peer = far;
    far.peer = near;
    near.attach(client, receiver);
    server.incoming(far, connections++, sim.now() + sim.costs().latencyNanos());
    return near;
  }

  /** Connections opened so far. */
  public long connections() {
    return connections;
  }

  /** When {@code n} bytes sent now from {@code from} arrive at its peer. */
  long arrival(SimStream from, int n) {
    long now = sim.now();
    long bps = sim.costs().bytesPerSecond();
    long leave = Math.max(now, from.linkFreeAt());
    long transfer = bps == 0 ? 0 : (long) Math.ceil(n * 1e9 / bps);
    from.linkFreeAt(leave + transfer);
    return leave + transfer + sim.costs().latencyNanos();
  }
}
