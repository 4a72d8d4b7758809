package io.kallisto.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/** A callback nobody named is labelled by the method that declared it, never "X lambda". */
class LambdaLabelsTest {
  private final Runnable fromConstructor;
  private int seen;

  LambdaLabelsTest() {
    int[] box = {0};
    fromConstructor = () -> seen += box[0];
  }

  private static Runnable armTimer(long deadline) {
    return () -> Long.hashCode(deadline);
  }

  private IntConsumer onReady(long connection) {
    return events -> seen += events + (int) connection;
  }

  private Runnable other() {
    return () -> seen++;
  }

  private static Consumer<StringBuilder> configure() {
    return s -> s.setLength(0);
  }

  @Test
  void aCapturingLambdaIsNamedAfterItsEnclosingStaticMethod() {
    assertEquals("lambda in LambdaLabelsTest.armTimer",
        Tracing.labelOf(armTimer(7).getClass()));
  }

  @Test
  void anInstanceLambdaWithParametersIsNamedAfterItsEnclosingMethod() {
    assertEquals("lambda in LambdaLabelsTest.onReady", Tracing.labelOf(onReady(3).getClass()));
  }

  @Test
  void aLambdaOfAGenericInterfaceIsNamedAfterItsEnclosingMethod() {
    assertEquals("lambda in LambdaLabelsTest.configure", Tracing.labelOf(configure().getClass()));
  }

  @Test
  void aLambdaInAConstructorSaysSo() {
    assertEquals("lambda in LambdaLabelsTest.<init>", Tracing.labelOf(fromConstructor.getClass()));
  }

  @Test
  void aBoundMethodReferenceIsNamedAfterTheMethodItCalls() {
    CountDownLatch latch = new CountDownLatch(1);
    Runnable r = latch::countDown;
    assertEquals("CountDownLatch.countDown", Tracing.labelOf(r.getClass()));
  }

  @Test
  void lambdasThatTypesCannotTellApartNameEveryMethodThatCouldHaveDeclaredThem() {
    // Both capture only this and implement Runnable: the label names both methods, sorted.
    Runnable r = () -> seen--;
    String label = Tracing.labelOf(r.getClass());
    assertEquals("lambda in LambdaLabelsTest."
        + "lambdasThatTypesCannotTellApartNameEveryMethodThatCouldHaveDeclaredThem or other", label);
    assertEquals(label, Tracing.labelOf(other().getClass()));
    assertFalse(label.endsWith(" lambda"), label);
  }

  @Test
  void aNamedTaskIsLabelledByItsName() {
    Runnable named = NamedTask.of("watchdog check-in", () -> { });
    assertEquals("watchdog check-in", ((TracedCallback) named).traceLabel());
  }

  @Test
  void aNestedClassKeepsItsDottedName() {
    assertEquals("LambdaLabelsTest.Nested", Tracing.labelOf(Nested.class));
  }

  private static final class Nested {}
}
