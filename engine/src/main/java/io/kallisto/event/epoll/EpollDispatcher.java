package io.kallisto.event.epoll;

import static io.kallisto.event.epoll.LinuxNative.EPOLLERR;
import static io.kallisto.event.epoll.LinuxNative.EPOLLET;
import static io.kallisto.event.epoll.LinuxNative.EPOLLHUP;
import static io.kallisto.event.epoll.LinuxNative.EPOLLIN;
import static io.kallisto.event.epoll.LinuxNative.EPOLLOUT;
import static io.kallisto.event.epoll.LinuxNative.EPOLLRDHUP;
import static io.kallisto.event.epoll.LinuxNative.EPOLL_CTL_ADD;
import static io.kallisto.event.epoll.LinuxNative.EPOLL_CTL_DEL;
import static io.kallisto.event.epoll.LinuxNative.EPOLL_CTL_MOD;

import io.kallisto.event.AbstractDispatcher;
import io.kallisto.event.FileEvent;
import io.kallisto.event.FileReadyCallback;
import io.kallisto.event.FileReadyType;
import io.kallisto.event.FileTriggerType;
import io.kallisto.event.HeapTimerQueue;
import io.kallisto.event.MpscChunkedPostQueue;
import io.kallisto.event.NativeException;
import io.kallisto.event.PostQueue;
import io.kallisto.event.TimerQueue;
import java.util.Arrays;
import java.util.Objects;

/**
 * The reference backend: one {@code epoll} instance, one {@code eventfd} for cross-thread
 * wakeups and one {@code timerfd} armed to the earliest timer deadline.
 *
 * <ul>
 *   <li>The eventfd and timerfd are registered edge-triggered and never read: each write or
 *       expiry is a new edge, so a wakeup costs one syscall on each side.
 *   <li>The timerfd is armed with an absolute {@code CLOCK_MONOTONIC} deadline, which is the
 *       clock behind {@link System#nanoTime()} on Linux, so timers keep nanosecond precision
 *       instead of {@code epoll_wait}'s milliseconds (epoll_wait(2)). It is re-armed only when
 *       the earliest deadline changes.
 *   <li>Ready events land in one {@link EpollEventArray}, read in place; it doubles when a wait
 *       fills it. File events are found by fd in a plain array. Nothing on the wait path
 *       allocates.
 * </ul>
 */
public final class EpollDispatcher extends AbstractDispatcher {
  private static final int INITIAL_EVENTS = 64;

  private final int epollFd;
  private final int wakeupFd;
  private final int timerFd;
  private final NativeMemory scratch; // one epoll_event or one itimerspec at a time
  private final EpollEventArray events;

  private long armedDeadline = NO_DEADLINE;
  private EpollFileEvent[] byFd = new EpollFileEvent[64];
  private int watching; // file events registered with a non-zero mask
  private EpollFileEvent[] activated = new EpollFileEvent[16];
  private int activatedCount;
  private EpollFileEvent[] activating = new EpollFileEvent[16];

  private EpollDispatcher(String name, PostQueue posts, TimerQueue timers) {
    super(name, posts, timers);
    LinuxNative.ensureAvailable();
    int ep = -1;
    int ev = -1;
    int tf = -1;
    NativeMemory scratchMem = null;
    EpollEventArray eventArray = null;
    boolean success = false;
    try {
      ep = LinuxNative.epollCreate();
      ev = LinuxNative.eventfdCreate();
      tf = LinuxNative.timerfdCreate();
      scratchMem = NativeMemory.allocate(LinuxNative.SCRATCH_SIZE, "the epoll scratch record");
      eventArray = new EpollEventArray(INITIAL_EVENTS);
      success = true;
    } finally {
      if (!success) {
        closeQuietly(tf);
        closeQuietly(ev);
        closeQuietly(ep);
        if (scratchMem != null) {
          scratchMem.close();
        }
      }
    }
    epollFd = ep;
    wakeupFd = ev;
    timerFd = tf;
    scratch = scratchMem;
    events = eventArray;
    try {
      ctl(EPOLL_CTL_ADD, wakeupFd, EPOLLIN | EPOLLET);
      ctl(EPOLL_CTL_ADD, timerFd, EPOLLIN | EPOLLET);
    } catch (RuntimeException e) {
      closeBackend();
      throw e;
    }
  }

  /**
   * Creates an epoll dispatcher with the default post and timer queues.
   *
   * @throws UnsupportedOperationException off Linux, saying why
   */
  public static EpollDispatcher create(String name) {
    return create(name, new MpscChunkedPostQueue(), new HeapTimerQueue());
  }

  /**
   * Creates an epoll dispatcher with the given queues, which it owns from now on.
   *
   * @throws UnsupportedOperationException off Linux, saying why
   */
  public static EpollDispatcher create(String name, PostQueue posts, TimerQueue timers) {
    EpollDispatcher d = new EpollDispatcher(name, posts, timers);
    d.announce();
    return d;
  }

  // Dispatcher

  @Override
  public FileEvent createFileEvent(int fd, FileReadyCallback callback, FileTriggerType trigger,
      int events) {
    Objects.requireNonNull(callback, "callback");
    Objects.requireNonNull(trigger, "trigger");
    checkLoopThread("createFileEvent()");
    FileReadyType.check(events);
    if (fd < 0) {
      throw new IllegalArgumentException("fd=" + fd + " is not a file descriptor");
    }
    if (fd == epollFd || fd == wakeupFd || fd == timerFd) {
      throw new IllegalArgumentException("fd=" + fd + " belongs to the dispatcher itself");
    }
    if (fd < byFd.length && byFd[fd] != null) {
      throw new IllegalStateException("dispatcher '" + name() + "' already watches fd=" + fd
          + "; close that FileEvent first");
    }
    EpollFileEvent event = new EpollFileEvent(fd, callback, trigger);
    if (fd >= byFd.length) {
      byFd = Arrays.copyOf(byFd, Math.max(fd + 1, byFd.length * 2));
    }
    byFd[fd] = event;
    try {
      event.setEnabled(events);
    } catch (RuntimeException e) {
      byFd[fd] = null;
      throw e;
    }
    return event;
  }

  // AbstractDispatcher

  @Override
  protected int poll(boolean block, long deadline) {
    if (block && deadline != NO_DEADLINE && deadline != armedDeadline) {
      armTimer(deadline);
    }
    return LinuxNative.epollWait(epollFd, events, block ? -1 : 0);
  }

  @Override
  protected void dispatchReady(int ready) {
    // Activations made during this dispatch belong to the next iteration.
    EpollFileEvent[] due = activated;
    int dueCount = activatedCount;
    activated = activating;
    activating = due;
    activatedCount = 0;
    for (int i = 0; i < dueCount; i++) {
      EpollFileEvent e = due[i];
      e.dueActivation |= e.pendingActivation;
      e.pendingActivation = 0;
    }

    for (int i = 0; i < ready; i++) {
      int fd = events.fd(i);
      int mask = events.events(i);
      if (fd == wakeupFd) {
        continue; // edge-triggered and never read: waking us was its whole job
      }
      if (fd == timerFd) {
        armedDeadline = NO_DEADLINE; // one-shot and expired; the loop runs the due timers
        continue;
      }
      EpollFileEvent e = fd < byFd.length ? byFd[fd] : null;
      if (e != null) {
        e.fire(readyBits(mask) & e.enabled);
      }
    }
    for (int i = 0; i < dueCount; i++) {
      EpollFileEvent e = due[i];
      due[i] = null;
      e.fire(0);
    }
    if (ready == events.length()) {
      events.grow();
    }
  }

  @Override
  protected void wakeUp() {
    LinuxNative.eventfdIncrement(wakeupFd);
  }

  @Override
  protected boolean hasFileWork() {
    return watching > 0 || activatedCount > 0;
  }

  @Override
  protected boolean hasActivations() {
    return activatedCount > 0;
  }

  @Override
  protected void closeBackend() {
    RuntimeException failure = null;
    for (int fd : new int[] {timerFd, wakeupFd, epollFd}) {
      try {
        LinuxNative.close(fd, "dispatcher '" + name() + "'");
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      }
    }
    scratch.close();
    events.close();
    Arrays.fill(byFd, null);
    if (failure != null) {
      throw failure;
    }
  }

  // ---- internals -----------------------------------------------------------------------------

  private void armTimer(long deadline) {
    LinuxNative.timerfdSetAbsolute(timerFd, deadline, scratch);
    armedDeadline = deadline;
    countTimerArm(deadline);
  }

  private void ctl(int op, int fd, int mask) {
    LinuxNative.epollCtl(epollFd, op, fd, mask, scratch);
  }

  private static int readyBits(int mask) {
    int bits = 0;
    if ((mask & EPOLLIN) != 0) bits |= FileReadyType.READ;
    if ((mask & EPOLLOUT) != 0) bits |= FileReadyType.WRITE;
    if ((mask & EPOLLRDHUP) != 0) bits |= FileReadyType.CLOSED;
    // A hang-up or error is reported through the operations that will surface it.
    if ((mask & EPOLLHUP) != 0) bits |= FileReadyType.READ | FileReadyType.CLOSED;
    if ((mask & EPOLLERR) != 0) bits |= FileReadyType.READ | FileReadyType.WRITE;
    return bits;
  }

  private static int epollMask(int events, FileTriggerType trigger) {
    int mask = 0;
    if ((events & FileReadyType.READ) != 0) mask |= EPOLLIN;
    if ((events & FileReadyType.WRITE) != 0) mask |= EPOLLOUT;
    if ((events & FileReadyType.CLOSED) != 0) mask |= EPOLLRDHUP;
    return trigger == FileTriggerType.EDGE ? mask | EPOLLET : mask;
  }

  private static void closeQuietly(int fd) {
    if (fd >= 0) {
      try {
        LinuxNative.close(fd, "cleanup");
      } catch (RuntimeException ignored) {
        // Already failing; the first error is the one worth reporting.
      }
    }
  }

  /** One watched fd. */
  private final class EpollFileEvent implements FileEvent {
    final int fd;
    final FileReadyCallback callback;
    final FileTriggerType trigger;
    int enabled;
    boolean registered;
    boolean closed;
    int pendingActivation; // activated this iteration, runs next iteration
    int dueActivation; // being delivered this iteration

    EpollFileEvent(int fd, FileReadyCallback callback, FileTriggerType trigger) {
      this.fd = fd;
      this.callback = callback;
      this.trigger = trigger;
    }

    void fire(int kernelBits) {
      int bits = kernelBits | dueActivation;
      dueActivation = 0;
      if (bits != 0 && !closed) {
        runFileCallback(callback, bits, fd);
      }
    }

    // FileEvent

    @Override
    public void setEnabled(int events) {
      checkLoopThread("FileEvent.setEnabled()");
      FileReadyType.check(events);
      checkNotClosed("setEnabled()");
      if (events == 0) {
        // Unregister rather than watch nothing: epoll reports HUP and ERR even to a zero mask.
        if (registered) {
          ctl(EPOLL_CTL_DEL, fd, 0);
          registered = false;
          watching--;
        }
      } else if (registered) {
        ctl(EPOLL_CTL_MOD, fd, epollMask(events, trigger));
      } else {
        ctl(EPOLL_CTL_ADD, fd, epollMask(events, trigger));
        registered = true;
        watching++;
      }
      enabled = events;
    }

    @Override
    public void activate(int events) {
      checkLoopThread("FileEvent.activate()");
      FileReadyType.check(events);
      checkNotClosed("activate()");
      if (events == 0) {
        return;
      }
      if (pendingActivation == 0) {
        if (activatedCount == activated.length) {
          activated = Arrays.copyOf(activated, activatedCount * 2);
          activating = new EpollFileEvent[activated.length]; // its old contents are dead
        }
        activated[activatedCount++] = this;
      }
      pendingActivation |= events;
    }

    @Override
    public void close() {
      if (closed || isClosed()) {
        closed = true;
        return;
      }
      checkLoopThread("FileEvent.close()");
      closed = true;
      pendingActivation = 0;
      dueActivation = 0;
      if (byFd[fd] == this) {
        byFd[fd] = null;
      }
      if (registered) {
        registered = false;
        watching--;
        try {
          ctl(EPOLL_CTL_DEL, fd, 0);
        } catch (NativeException e) {
          // The caller closed the fd first; the kernel dropped it from the set already.
          if (e.errno() != Errno.EBADF && e.errno() != Errno.ENOENT) {
            throw e;
          }
        }
      }
    }

    private void checkNotClosed(String what) {
      if (closed) {
        throw new IllegalStateException("FileEvent for fd=" + fd + " is closed: cannot call "
            + what);
      }
    }
  }
}
