package io.kallisto.exercises.mutation;

/**
 * One mutant from PIT's {@code mutations.xml}: where it is, what the mutator did, and how the
 * tests answered ({@code status}: KILLED, TIMED_OUT, MEMORY_ERROR, RUN_ERROR, SURVIVED,
 * NO_COVERAGE, ...).
 *
 * @param detected PIT's own verdict: true for every status PIT counts as killed (KILLED,
 *     TIMED_OUT, MEMORY_ERROR, RUN_ERROR, NON_VIABLE), false for SURVIVED and NO_COVERAGE
 */
public record Mutant(String mutatedClass, String method, int line, String mutator,
    String description, String status, boolean detected) {

  /** The mutator's simple name: {@code ConditionalsBoundaryMutator}, not its package. */
  public String mutatorName() {
    return mutator.substring(mutator.lastIndexOf('.') + 1);
  }

  /** The mutated class's simple name, nested classes kept ({@code LoopWorker$Request}). */
  public String className() {
    return mutatedClass.substring(mutatedClass.lastIndexOf('.') + 1);
  }
}
