package io.kallisto.bench;

import com.sun.jna.Pointer;
import io.kallisto.event.epoll.EpollEventDescriptor;
import io.kallisto.event.epoll.LinuxNative;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventArray;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of one crossing into the kernel: Kallisto's JNA direct mapping ({@link LinuxNative})
 * against Netty's JNI ({@code io.netty.channel.epoll.Native}), on the same calls.
 *
 * <ul>
 *   <li>{@code epoll_wait(empty set, timeout 0)}: the smallest call with arguments.
 *   <li>{@code getpid()}: Kallisto only; Netty's JNI offers no such call.
 *   <li>A wakeup round trip on a level-triggered eventfd: {@code write(1)}, {@code epoll_wait}
 *       (which reports it), {@code read}.
 * </ul>
 *
 * <p>Netty 4.2.18's public {@code Native.epollWait(epfd, events, timerFd, 0, 0)} goes straight
 * to its JNI {@code epoll_wait} with a zero timeout. Its {@link EpollEventArray} has a
 * package-private constructor, so one is made by reflection in setup; nothing on the measured
 * path is reflective. The C floor for these calls comes from {@code bench/native/cfloor.c}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class NativeCallBenchmark {
  private static final int MAX_EVENTS = 4;

  // Kallisto: an empty epoll set, and a second set watching an eventfd.
  private int kEmptyEpfd;
  private int kEpfd;
  private int kEventFd;
  private long kEvents;
  private long kOne;
  private long kReadBuf;

  // Netty: the same, through its JNI.
  private FileDescriptor nEmptyEpfd;
  private FileDescriptor nEpfd;
  private FileDescriptor nEventFd;
  private FileDescriptor nTimerFd;
  private EpollEventArray nEvents;

  /** Opens the fds and buffers for both sides. */
  @Setup(Level.Trial)
  public void open() throws Exception {
    kEmptyEpfd = LinuxNative.epollCreate();
    kEpfd = LinuxNative.epollCreate();
    kEventFd = LinuxNative.eventfdCreate();
    kEvents = com.sun.jna.Native.malloc((long) MAX_EVENTS * EpollEventDescriptor.SIZE);
    kOne = com.sun.jna.Native.malloc(8);
    kReadBuf = com.sun.jna.Native.malloc(8);
    new Pointer(kOne).setLong(0, 1L);
    // Level-triggered, so that every round trip's epoll_wait reports the eventfd.
    long ctl = com.sun.jna.Native.malloc(EpollEventDescriptor.SIZE);
    Pointer event = new Pointer(ctl);
    event.setInt(EpollEventDescriptor.EVENTS_OFFSET, LinuxNative.EPOLLIN);
    event.setLong(EpollEventDescriptor.DATA_OFFSET, kEventFd);
    LinuxNative.epollCtl(kEpfd, LinuxNative.EPOLL_CTL_ADD, kEventFd, ctl);
    com.sun.jna.Native.free(ctl);

    Epoll.ensureAvailability();
    nEmptyEpfd = io.netty.channel.epoll.Native.newEpollCreate();
    nEpfd = io.netty.channel.epoll.Native.newEpollCreate();
    nEventFd = io.netty.channel.epoll.Native.newEventFd();
    nTimerFd = io.netty.channel.epoll.Native.newTimerFd();
    Constructor<EpollEventArray> c = EpollEventArray.class.getDeclaredConstructor(int.class);
    c.setAccessible(true);
    nEvents = c.newInstance(MAX_EVENTS);
    io.netty.channel.epoll.Native.epollCtlAdd(nEpfd.intValue(), nEventFd.intValue(),
        io.netty.channel.epoll.Native.EPOLLIN);
  }

  /** Closes everything {@link #open} opened. */
  @TearDown(Level.Trial)
  public void close() throws IOException {
    LinuxNative.close(kEventFd, "bench eventfd");
    LinuxNative.close(kEpfd, "bench epoll");
    LinuxNative.close(kEmptyEpfd, "bench empty epoll");
    com.sun.jna.Native.free(kEvents);
    com.sun.jna.Native.free(kOne);
    com.sun.jna.Native.free(kReadBuf);
    nEventFd.close();
    nTimerFd.close();
    nEpfd.close();
    nEmptyEpfd.close();
    // EpollEventArray.free() is package-private too; its few bytes die with the fork.
  }

  /** {@code epoll_wait} on an empty set through Kallisto's JNA direct mapping. */
  @Benchmark
  public int kallistoEpollWait() {
    return LinuxNative.epollWait(kEmptyEpfd, kEvents, MAX_EVENTS, 0);
  }

  /** {@code epoll_wait} on an empty set through Netty's JNI. */
  // Deprecated in 4.2.18, but it is the only public route to the JNI epoll_wait; kept on purpose.
  @SuppressWarnings("deprecation")
  @Benchmark
  public int nettyEpollWait() throws IOException {
    return io.netty.channel.epoll.Native.epollWait(nEmptyEpfd, nEvents, nTimerFd, 0, 0);
  }

  /** {@code getpid()} through Kallisto's JNA direct mapping. */
  @Benchmark
  public int kallistoGetpid() {
    return LinuxNative.pid();
  }

  /** eventfd write, epoll_wait that reports it, read that clears it: Kallisto. */
  @Benchmark
  public long kallistoWakeupRoundTrip() {
    LinuxNative.writeNoThrow(kEventFd, kOne, 8);
    int ready = LinuxNative.epollWait(kEpfd, kEvents, MAX_EVENTS, 0);
    return ready + LinuxNative.readNoThrow(kEventFd, kReadBuf, 8);
  }

  /** eventfd write, epoll_wait that reports it, read that clears it: Netty. */
  @SuppressWarnings("deprecation") // see nettyEpollWait
  @Benchmark
  public int nettyWakeupRoundTrip() throws IOException {
    io.netty.channel.epoll.Native.eventFdWrite(nEventFd.intValue(), 1L);
    int ready = io.netty.channel.epoll.Native.epollWait(nEpfd, nEvents, nTimerFd, 0, 0);
    io.netty.channel.epoll.Native.eventFdRead(nEventFd.intValue());
    return ready;
  }
}
