package io.kallisto.exercises.postqueue;

import io.kallisto.event.PostQueue;

/**
 * YOUR wakeup decision: whether a post must write the loop's wakeup (an eventfd write, a
 * syscall) or can leave the loop alone because it is awake and will see the post anyway.
 *
 * <p>How the loop ({@code MiniLoop} in the tests, {@code AbstractDispatcher} in the engine) uses
 * it, each iteration:
 * <pre>{@code
 * loop thread:                                    a posting thread:
 *   run the posts that are queued                   queue.offer(task);
 *   if (gate.prepareToSleep(queue)) {               if (gate.onPost()) {
 *     wait for a wakeup                               write the wakeup
 *   }                                               }
 *   gate.awake();
 * }</pre>
 * The gate starts AWAKE. Its two promises:
 * <ul>
 *   <li><b>No lost wakeup:</b> if {@code prepareToSleep} returns true while a post is queued,
 *       the {@code onPost} of that post returns true.
 *   <li><b>No redundant wakeup:</b> while the loop is awake, {@code onPost} returns false; while
 *       it sleeps, only the first {@code onPost} returns true.
 * </ul>
 */
public final class WakeupGate {

  /**
   * Called by a posting thread after its offer returned. Safe from any thread.
   *
   * @return true if this caller must write the wakeup: the loop was asleep and this call is the
   *     first to notice
   */
  public boolean onPost() {
    throw new UnsupportedOperationException("TODO: onPost: move ASLEEP to AWAKE, once");
  }

  /**
   * Called by the loop thread when it has nothing to do and would like to block.
   *
   * @param queue the post queue, to look at again once the loop is marked asleep
   * @return true if the loop may block until a wakeup; false if it must not (a post is queued)
   */
  public boolean prepareToSleep(PostQueue queue) {
    throw new UnsupportedOperationException("TODO: prepareToSleep: mark ASLEEP, then re-check");
  }

  /** Called by the loop thread after its wait returned, or when it decided not to wait. */
  public void awake() {
    throw new UnsupportedOperationException("TODO: awake: mark AWAKE");
  }
}
