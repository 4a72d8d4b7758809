package io.kallisto.load;

import io.kallisto.net.RequestFrameDescriptor;
import io.kallisto.scenario.Scenario.RequestMix;
import io.kallisto.scenario.Scenario.ServiceTime;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws requests from a workload's mix: which kind, and how long its service takes. One sampler
 * per load thread, each with its own seeded random source, so a run is repeatable per seed.
 * Loop-only; allocates nothing per draw.
 */
final class RequestMixSampler {
  private final SplittableRandom random;
  private final double[] cumulative; // running sums of the weights
  private final int[] kinds;
  private final ServiceTime[] services;
  private int lastKind;

  RequestMixSampler(List<RequestMix> mix, SplittableRandom random) {
    this.random = random;
    int n = mix.size();
    cumulative = new double[n];
    kinds = new int[n];
    services = new ServiceTime[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      RequestMix m = mix.get(i);
      sum += m.weight();
      cumulative[i] = sum;
      kinds[i] = wireKind(m.kind());
      services[i] = m.service();
    }
  }

  /** Draws the next request; returns its service nanos, and {@link #kind()} says its kind. */
  long next() {
    int i = 0;
    if (cumulative.length > 1) {
      double x = random.nextDouble() * cumulative[cumulative.length - 1];
      while (i < cumulative.length - 1 && x >= cumulative[i]) {
        i++;
      }
    }
    lastKind = kinds[i];
    return serviceNanos(services[i]);
  }

  /** The kind of the request last drawn, as {@link RequestFrameDescriptor} codes it. */
  int kind() {
    return lastKind;
  }

  private long serviceNanos(ServiceTime s) {
    long mean = s.mean().toNanos();
    if (mean == 0) {
      return 0;
    }
    switch (s.distribution()) {
      case UNIFORM:
        return (long) (random.nextDouble() * 2 * mean);
      case EXPONENTIAL:
        return exponential(random, mean);
      case FIXED:
      default:
        return mean;
    }
  }

  /** An exponential draw with the given mean: arrival gaps of a Poisson process, say. */
  static long exponential(SplittableRandom random, double mean) {
    // 1 - u lies in (0, 1], so the log is finite.
    return (long) (-Math.log(1.0 - random.nextDouble()) * mean);
  }

  static int wireKind(io.kallisto.scenario.Scenario.RequestKind kind) {
    switch (kind) {
      case CPU:
        return RequestFrameDescriptor.KIND_CPU;
      case SLEEP:
        return RequestFrameDescriptor.KIND_SLEEP;
      case ECHO:
      default:
        return RequestFrameDescriptor.KIND_ECHO;
    }
  }
}
