package io.kallisto.exercises.support;

import io.kallisto.trace.TraceOptions;
import io.kallisto.trace.Tracing;
import java.io.IOException;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Records a trace of each test and keeps it only if the test fails, so a student can open the
 * failing run in the visualizer: the failure message names the file and the
 * {@code ./kallisto view} command. Tests that take a {@link Seeds} parameter are not traced on
 * the wall clock: {@link Seeds} replays the failing seed traced in virtual time instead.
 *
 * <pre>{@code
 * @ExtendWith(TraceOnFailure.class)
 * class WorkerPoolGradingTest { ... }
 * }</pre>
 *
 * <p>The trace is written while the test runs (the trace writer flushes every 50 ms), so a test
 * whose JVM the grader kills for hanging still leaves the trace of the run up to the hang.
 */
public final class TraceOnFailure implements BeforeEachCallback, AfterEachCallback,
    ParameterResolver {
  /** Heap the trace may hold while the writer catches up: the grading JVM is small. */
  private static final long BUFFER_MEMORY = 32L << 20;
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(TraceOnFailure.class);

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    boolean seeded = Arrays.stream(context.getRequiredTestMethod().getParameters())
        .map(Parameter::getType).anyMatch(Seeds.class::equals);
    if (seeded || Tracing.isEnabled()) {
      return; // Seeds traces its own replay; a test tracing by itself keeps its own file
    }
    Path file = GradingTraces.file(context.getRequiredTestClass(),
        context.getRequiredTestMethod().getName(), null);
    Files.deleteIfExists(file);
    Tracing.start(file, TraceOptions.defaults().maxBufferMemory(BUFFER_MEMORY)
        .scenario(context.getRequiredTestClass().getSimpleName() + "."
            + context.getRequiredTestMethod().getName())
        .command("kallisto grade (test " + context.getDisplayName() + ")"));
    context.getStore(NS).put("file", file);
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    Path file = context.getStore(NS).remove("file", Path.class);
    if (file == null) {
      return;
    }
    if (Tracing.isEnabled()) {
      Tracing.stop();
    }
    if (context.getExecutionException().isEmpty()) {
      Files.deleteIfExists(file);
    } else {
      System.err.println("trace of the failing run: " + GradingTraces.viewCommand(file));
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Seeds.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return new Seeds(context.getRequiredTestClass(), context.getRequiredTestMethod().getName());
  }
}
