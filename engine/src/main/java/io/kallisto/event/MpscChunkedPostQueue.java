package io.kallisto.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The default {@link PostQueue}: an unbounded multi-producer single-consumer queue of array
 * chunks, after JCTools' {@code MpscUnboundedArrayQueue}, written with {@link VarHandle}s so
 * that it needs no {@code sun.misc.Unsafe}.
 *
 * <p>{@link #offer} claims an index with one CAS and stores the task with a release write. While
 * the consumer keeps up, producers go round the same chunk and nothing is allocated. When more
 * than {@code CHUNK - 1} tasks are outstanding, the producer that fills the chunk links a new
 * one (taking the spare if the consumer has returned one), so the queue never blocks and never
 * rejects.
 *
 * <pre>
 * index units: element n has index 2n; the low bit marks "a producer is linking a chunk"
 *
 *   chunk (CHUNK + 1 slots, used round-robin by index)          link slot
 *   +------+------+------+-----+------+------+----------------+------+
 *   | task | task | null | ... | JUMP | task | ...            | next |--> next chunk
 *   +------+------+------+-----+------+------+----------------+------+
 *      ^ consumer reads in index order     ^ a resize left JUMP where its own task would go;
 *                                            that task sits at the same slot in the next chunk
 * </pre>
 *
 * <p>Why it is safe to recycle a chunk: the consumer meets the JUMP only after it has taken every
 * index before it, and no index after it was ever written to this chunk; so when it follows the
 * link, nothing references the old chunk, and it can be handed out again, already cleared.
 */
public final class MpscChunkedPostQueue extends MpscChunkedPostQueueFields.Pad2
    implements PostQueue {
  /** Slots per chunk: a power of two. One slot per chunk is kept for the JUMP marker. */
  private static final int CHUNK = 1024;
  /** Index span of one chunk, in index units (two per element). */
  private static final long SPAN = (CHUNK - 1L) << 1;
  private static final Object JUMP = new Object();

  private static final VarHandle PRODUCER_INDEX;
  private static final VarHandle PRODUCER_LIMIT;
  private static final VarHandle CONSUMER_INDEX;
  private static final VarHandle SPARE;
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      PRODUCER_INDEX = lookup.findVarHandle(
          MpscChunkedPostQueueFields.ProducerFields.class, "producerIndex", long.class);
      PRODUCER_LIMIT = lookup.findVarHandle(
          MpscChunkedPostQueueFields.ProducerFields.class, "producerLimit", long.class);
      CONSUMER_INDEX = lookup.findVarHandle(
          MpscChunkedPostQueueFields.ConsumerFields.class, "consumerIndex", long.class);
      SPARE = lookup.findVarHandle(
          MpscChunkedPostQueueFields.ConsumerFields.class, "spareChunk", Object[].class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Creates an empty queue with one chunk. */
  public MpscChunkedPostQueue() {
    Object[] first = new Object[CHUNK + 1];
    producerBuffer = first;
    consumerBuffer = first;
    producerLimit = SPAN;
  }

  // PostQueue

  @Override
  public long offer(Runnable task) {
    Object[] buffer;
    long index;
    while (true) {
      long limit = (long) PRODUCER_LIMIT.getVolatile(this);
      index = (long) PRODUCER_INDEX.getVolatile(this);
      if ((index & 1) == 1) {
        Thread.onSpinWait(); // another producer is linking a chunk; it takes a few stores
        continue;
      }
      buffer = producerBuffer;
      if (index >= limit) {
        long consumed = (long) CONSUMER_INDEX.getVolatile(this);
        if (consumed + SPAN > index) {
          // The consumer has freed slots behind it: go round the same chunk again.
          PRODUCER_LIMIT.compareAndSet(this, limit, consumed + SPAN);
          continue;
        }
        if (PRODUCER_INDEX.compareAndSet(this, index, index + 1)) {
          linkNewChunk(buffer, index, task);
          return index >> 1;
        }
        continue;
      }
      if (PRODUCER_INDEX.compareAndSet(this, index, index + 2)) {
        break;
      }
    }
    SLOT.setRelease(buffer, slot(index), task);
    return index >> 1;
  }

  @Override
  public Runnable poll() {
    Object[] buffer = consumerBuffer;
    long index = (long) CONSUMER_INDEX.getOpaque(this); // only this thread writes it
    int slot = slot(index);
    Object e = SLOT.getAcquire(buffer, slot);
    if (e == null) {
      if (index == (long) PRODUCER_INDEX.getVolatile(this)) {
        return null;
      }
      // The index was claimed and the store is a few instructions away: wait, do not report empty.
      do {
        Thread.onSpinWait();
        e = SLOT.getAcquire(buffer, slot);
      } while (e == null);
    }
    if (e == JUMP) {
      Object[] next = (Object[]) SLOT.getAcquire(buffer, CHUNK);
      SLOT.set(buffer, CHUNK, null);
      SLOT.set(buffer, slot, null);
      consumerBuffer = next;
      if (SPARE.getVolatile(this) == null) {
        SPARE.setRelease(this, buffer); // fully drained and cleared: see the class comment
      }
      buffer = next;
      e = SLOT.getAcquire(next, slot); // stored before the JUMP was published
    }
    SLOT.set(buffer, slot, null);
    // Release: the slot is cleared before a producer may see it free.
    CONSUMER_INDEX.setRelease(this, index + 2);
    return (Runnable) e;
  }

  @Override
  public long lastPolledSequence() {
    return ((long) CONSUMER_INDEX.getOpaque(this) >> 1) - 1;
  }

  @Override
  public long queuedItems() {
    // The consumer's index first: the producer's, read after it, is never behind it. An odd
    // producer index (a chunk being linked) counts the item being linked once it is stored.
    long consumed = (long) CONSUMER_INDEX.getVolatile(this) >> 1;
    return ((long) PRODUCER_INDEX.getVolatile(this) >> 1) - consumed;
  }

  @Override
  public boolean isEmpty() {
    return (long) CONSUMER_INDEX.getOpaque(this) == (long) PRODUCER_INDEX.getVolatile(this);
  }

  /**
   * Called by the one producer that set the resize bit: links a chunk after {@code full} and
   * puts {@code task} in it, then clears the bit.
   */
  private void linkNewChunk(Object[] full, long index, Runnable task) {
    Object[] next = (Object[]) SPARE.getAndSet(this, null);
    if (next == null) {
      next = new Object[CHUNK + 1];
    }
    producerBuffer = next;
    int slot = slot(index);
    SLOT.setRelease(next, slot, task);
    SLOT.setRelease(full, CHUNK, next);
    PRODUCER_LIMIT.setRelease(this, index + SPAN);
    // Releases the other producers, who now see the new chunk.
    PRODUCER_INDEX.setRelease(this, index + 2);
    // Last: once the consumer sees JUMP it follows the link, which is already in place.
    SLOT.setRelease(full, slot, JUMP);
  }

  private static int slot(long index) {
    return (int) ((index >> 1) & (CHUNK - 1));
  }
}
