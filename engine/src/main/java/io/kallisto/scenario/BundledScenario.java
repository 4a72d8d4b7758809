package io.kallisto.scenario;

/**
 * A scenario that ships with Kallisto, as {@link Scenarios#bundled()} lists it.
 *
 * @param name what {@code kallisto run} takes, e.g. {@code baseline-echo}
 * @param purpose one line: what the scenario shows (its description)
 */
public record BundledScenario(String name, String purpose) {}
