package io.kallisto.exercises.grader;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of a rules file: a pattern, the reason a student reads, whether it allows rather
 * than forbids ({@code +} in front), and whether it is a sandbox rule (the grader's default
 * list: a breach means the tests do not run) or one of the exercise's own.
 *
 * <p>Patterns, class names dotted with {@code $} for nested classes:
 * <pre>
 * java.util.PriorityQueue                the class and its nested classes
 * java.util.concurrent.locks.*           the classes of a package, not its subpackages
 * java.io.File*                          File, FileInputStream, FileDescriptor... in java.io
 * jdk.**                                 every class under a package, at any depth
 * java.lang.Class#forName                a member: a call, a field access or a method reference;
 * java.lang.Class#getDeclared*             also through a subclass (MyThread.stop is Thread#stop)
 * java.io.PrintStream#&lt;init&gt;(Ljava/lang/String;*   a member with a descriptor (JVM form) glob
 * +java.lang.invoke.VarHandle            allows what a broader rule forbids (members included)
 * </pre>
 */
record BytecodeRule(String pattern, String reason, boolean allow, boolean sandbox,
    Pattern owner, Pattern member, Pattern descriptor) {

  /** A supertype test on class names, internal form ({@code a/b/C}). */
  @FunctionalInterface
  interface Supertypes {
    boolean isSubtype(String type, String of);
  }

  private static final Pattern NAME_IN_TEXT =
      Pattern.compile("[A-Za-z_$][\\w$]*(?:[./][A-Za-z_$][\\w$]*)+");

  /**
   * Parses one rule line (comments and blank lines already removed).
   *
   * @throws IllegalArgumentException naming the line if the pattern is malformed
   */
  static BytecodeRule parse(String line, boolean sandbox) {
    String[] parts = line.strip().split("\\s+", 2);
    boolean allow = parts[0].startsWith("+");
    String pattern = allow ? parts[0].substring(1) : parts[0];
    String reason = parts.length > 1 ? parts[1] : "not allowed in this exercise";
    if (pattern.isEmpty() || !pattern.matches("[\\w.$*#<>()/;\\[]+")) {
      throw new IllegalArgumentException("rule '" + line + "': expected a class, a package.*"
          + " or Class#member pattern");
    }
    int hash = pattern.indexOf('#');
    if (hash < 0) {
      boolean wildcard = pattern.contains("*");
      return new BytecodeRule(pattern, reason, allow, sandbox,
          Pattern.compile(glob(pattern, "[^.]*") + (wildcard ? "" : "(\\$.*)?")), null, null);
    }
    String owner = pattern.substring(0, hash);
    String rest = pattern.substring(hash + 1);
    int paren = rest.indexOf('(');
    String name = paren < 0 ? rest : rest.substring(0, paren);
    return new BytecodeRule(pattern, reason, allow, sandbox,
        Pattern.compile(glob(owner, "[^.]*")), Pattern.compile(glob(name, ".*")),
        paren < 0 ? null : Pattern.compile(glob(rest.substring(paren), ".*")));
  }

  private static String glob(String s, String star) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      if (s.startsWith("**", i)) {
        b.append(".*");
        i++;
      } else if (s.charAt(i) == '*') {
        b.append(star);
      } else {
        b.append(Pattern.quote(String.valueOf(s.charAt(i))));
      }
    }
    return b.toString();
  }

  /** Whether this is a {@code Class#member} rule. */
  boolean isMemberRule() {
    return member != null;
  }

  /** Whether this class rule covers {@code type} (internal or dotted form). */
  boolean coversType(String type) {
    return !isMemberRule() && owner.matcher(type.replace('/', '.')).matches();
  }

  /**
   * Whether this rule covers the member {@code owner.name descriptor}: a member rule by owner
   * (or a supertype of it), name and descriptor; a class rule (for allowing) by owner alone.
   */
  boolean coversMember(String ownerType, String name, String desc, Supertypes supertypes) {
    if (!isMemberRule()) {
      return coversType(ownerType);
    }
    if (!member.matcher(name).matches()
        || (descriptor != null && !descriptor.matcher(desc).matches())) {
      return false;
    }
    String dotted = ownerType.replace('/', '.');
    if (owner.matcher(dotted).matches()) {
      return true;
    }
    String literal = pattern.substring(0, pattern.indexOf('#'));
    return !literal.contains("*") && supertypes.isSubtype(ownerType, literal.replace('.', '/'));
  }

  /**
   * The first class name in {@code text}, dotted or slashed, that this class rule covers, or
   * null: a string constant that names a class is how reflection would reach it.
   */
  String typeNamedIn(String text) {
    if (isMemberRule()) {
      return null;
    }
    Matcher m = NAME_IN_TEXT.matcher(text);
    while (m.find()) {
      String dotted = m.group().replace('/', '.');
      // Every prefix of two segments or more: "java.io.File.separator" names java.io.File.
      for (int dot = dotted.indexOf('.'); dot >= 0; dot = dotted.indexOf('.', dot + 1)) {
        int end = dotted.indexOf('.', dot + 1);
        String candidate = end < 0 ? dotted : dotted.substring(0, end);
        if (owner.matcher(candidate).matches()) {
          return candidate;
        }
      }
    }
    return null;
  }
}
