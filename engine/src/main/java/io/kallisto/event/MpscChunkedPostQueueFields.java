package io.kallisto.event;

/**
 * Field layout for {@link MpscChunkedPostQueue}. The JVM lays out a superclass's fields before a
 * subclass's, so padding classes between the producer fields and the consumer fields keep them on
 * different cache lines: producers hammer {@code producerIndex} with CAS, and the consumer must not
 * pay for that on every poll. (JCTools pads the same way.)
 */
final class MpscChunkedPostQueueFields {
  private MpscChunkedPostQueueFields() {}

  @SuppressWarnings("unused")
  abstract static class Pad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p10, p11, p12, p13, p14, p15, p16;
  }

  abstract static class ProducerFields extends Pad0 {
    /** Two per element; the low bit is set while a producer links a new chunk. */
    volatile long producerIndex;
    /** The producer index at which the current chunk is full. */
    volatile long producerLimit;
    /** The chunk producers write into; published by the release store of producerIndex. */
    Object[] producerBuffer;
  }

  @SuppressWarnings("unused")
  abstract static class Pad1 extends ProducerFields {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p10, p11, p12, p13, p14, p15, p16;
  }

  abstract static class ConsumerFields extends Pad1 {
    /** Two per element, like producerIndex. Written only by the consumer. */
    volatile long consumerIndex;
    /** The chunk the consumer reads from. Consumer only. */
    Object[] consumerBuffer;
    /** A drained chunk kept for the next producer that needs one. */
    volatile Object[] spareChunk;
  }

  @SuppressWarnings("unused")
  abstract static class Pad2 extends ConsumerFields {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p10, p11, p12, p13, p14, p15, p16;
  }
}
