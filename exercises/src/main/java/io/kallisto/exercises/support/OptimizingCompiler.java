package io.kallisto.exercises.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated test class in a JVM with HotSpot's optimising compiler (C2), which the
 * grader otherwise leaves out ({@code -XX:TieredStopAtLevel=1}) to start test JVMs quickly.
 *
 * <p>Why memory-ordering stress needs it: only C2 compiles a release store
 * ({@code lazySet}, {@code setRelease}) as the plain store it is allowed to be. The interpreter
 * and C1 run the JDK's fallback, a volatile store with a full fence, so under C1 a student's
 * release store where a volatile one is needed behaves correctly and no stress test can see
 * the bug, which C2 (and so the engine in production) then exposes.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface OptimizingCompiler {}
