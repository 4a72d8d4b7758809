package io.kallisto.exercises.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How many points a grading test is worth; a {@code @Test} method without it is worth 1. The
 * grader reads it by reflection, so the test's class is never initialised in the grader's JVM.
 *
 * <pre>{@code
 * @Test
 * @Points(5)
 * void postsRunInFifoOrder() { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Points {
  /** The points, 1 or more. */
  int value();
}
