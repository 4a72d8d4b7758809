package io.kallisto.exercises.workers;

import io.kallisto.event.DispatcherFactory;
import io.kallisto.event.Dispatchers;
import io.kallisto.event.epoll.LinuxNative;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine backends the tests run your worker on: epoll (where the machine has it) and NIO.
 * Your worker must not care which it gets: it only sees a {@link DispatcherFactory}.
 */
record Backend(String name, DispatcherFactory factory) {
  /** Every backend this machine can run: epoll on Linux, and NIO everywhere. */
  static List<Backend> all() {
    List<Backend> all = new ArrayList<>();
    if (LinuxNative.isAvailable()) {
      all.add(new Backend("epoll", Dispatchers::epoll));
    }
    all.add(new Backend("nio", Dispatchers::nio));
    return all;
  }

  /** The backend {@link Dispatchers#best()} picks here. */
  static Backend best() {
    return all().get(0);
  }

  @Override
  public String toString() {
    return "[" + name + "]";
  }
}
