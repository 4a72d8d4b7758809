package io.kallisto.exercises.grader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The test JVM's class path: what the grader finds on its own and hands on. (Which classes a
 * student may not replace, and what never reaches the test JVM, are in ProcessContainmentTest
 * and SubmissionInputsTest, with real gradings.)
 */
class GradingClassPathTest {
  @Test
  void byteBuddysAgentIsFoundSoThatLincheckNeverHasToAttachOneAtRunTime() throws IOException {
    Optional<Path> agent = GradingClassPath.instrumentationAgent();
    assertTrue(agent.isPresent(), "expected Byte Buddy's agent jar (Lincheck's dependency) among"
        + " the grader's dependencies " + GradingClassPath.dependencies());
    try (JarFile jar = new JarFile(agent.get().toFile())) {
      assertEquals(GradingClassPath.BYTE_BUDDY_INSTALLER,
          jar.getManifest().getMainAttributes().getValue("Premain-Class"),
          "expected the agent's Premain-Class to be the installer that ByteBuddyAgent.install()"
              + " asks first");
    }
    assertTrue(GradingClassPath.dependencies().contains(agent.get()), "expected the agent to"
        + " be one of the dependencies the test JVM has on its class path anyway");
  }
}
