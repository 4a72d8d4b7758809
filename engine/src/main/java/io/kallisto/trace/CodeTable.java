package io.kallisto.trace;

import java.util.function.ToIntFunction;

/**
 * The code → constant lookup of an enum whose constants carry a code stored in trace files
 * ({@link EventType}, {@link CallbackKind}). Built once, in the enum's static initialiser, where
 * it checks the codes: each in [1, {@code limit}) (0 is what a zeroed, never-written record
 * holds, so no constant may claim it) and no two the same. A bad table fails the enum's
 * initialisation, so it cannot reach a file.
 *
 * <p>Immutable once built, so {@link #ofCode} is safe from any thread; it allocates nothing.
 *
 * @param <E> the enum
 */
final class CodeTable<E extends Enum<E>> {
  private final Object[] byCode;

  /**
   * The table of {@code constants} by {@code code}.
   *
   * @param limit one more than the largest code allowed
   * @throws IllegalStateException naming the constant whose code is out of range or taken
   */
  CodeTable(E[] constants, ToIntFunction<E> code, int limit) {
    byCode = new Object[limit];
    for (E e : constants) {
      int c = code.applyAsInt(e);
      if (c < 1 || c >= limit) {
        throw new IllegalStateException(e.getDeclaringClass().getSimpleName() + "." + e.name()
            + " has code " + c + "; codes run from 1 to " + (limit - 1));
      }
      if (byCode[c] != null) {
        throw new IllegalStateException(e.getDeclaringClass().getSimpleName() + "." + e.name()
            + " has code " + c + ", which " + ((Enum<?>) byCode[c]).name() + " already has");
      }
      byCode[c] = e;
    }
  }

  /** The constant with {@code code}, or {@code null} if there is none. */
  @SuppressWarnings("unchecked") // only constants of E are stored
  E ofCode(int code) {
    return code >= 0 && code < byCode.length ? (E) byCode[code] : null;
  }
}
