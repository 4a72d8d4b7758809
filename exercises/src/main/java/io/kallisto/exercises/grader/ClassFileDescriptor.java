package io.kallisto.exercises.grader;

/**
 * The parts of the class-file layout (JVMS chapter 4) that {@link ClassFileReader} reads: the
 * constant pool's tags and what each entry holds, and the length of every bytecode instruction,
 * so that the rules check can find which instruction (and so which source line) uses which
 * constant. Big-endian throughout.
 *
 * <pre>
 *   u4 magic 0xCAFEBABE | u2 minor | u2 major
 *   u2 constant_pool_count; cp_info[count - 1]     index 0 unused; LONG and DOUBLE take 2 slots
 *   u2 access | u2 this_class | u2 super_class | u2 n; u2 interfaces[n]
 *   u2 n; field_info[n] | u2 n; method_info[n]     each: u2 access, u2 name, u2 descriptor,
 *                                                  u2 n; attribute_info[n]
 *   u2 n; attribute_info[n]                        each: u2 name, u4 length, u1 info[length]
 *
 *   cp_info:  u1 tag, then
 *     UTF8 1        u2 length, modified UTF-8       CLASS 7        u2 name (UTF8)
 *     INTEGER 3     u4                              STRING 8       u2 text (UTF8)
 *     FLOAT 4       u4                              FIELDREF 9,    u2 class (CLASS),
 *     LONG 5        u8                              METHODREF 10,  u2 name_and_type
 *     DOUBLE 6      u8                              INTERFACE_METHODREF 11
 *     NAME_AND_TYPE 12   u2 name, u2 descriptor     METHOD_HANDLE 15  u1 kind, u2 reference
 *     METHOD_TYPE 16     u2 descriptor              DYNAMIC 17, INVOKE_DYNAMIC 18:
 *     MODULE 19, PACKAGE 20   u2 name                  u2 bootstrap (BootstrapMethods index),
 *                                                      u2 name_and_type
 *
 *   Code attribute: u2 max_stack, u2 max_locals, u4 code_length, u1 code[code_length],
 *                   u2 n; exceptions[n] (8 bytes each), u2 n; attribute_info[n]
 *   LineNumberTable: u2 n; { u2 start_pc, u2 line_number }[n]
 *   BootstrapMethods: u2 n; { u2 method_handle, u2 n_args, u2 args[n_args] }[n]
 *   SourceFile, Signature: u2 (UTF8)
 * </pre>
 */
final class ClassFileDescriptor {
  static final int MAGIC = 0xCAFEBABE;

  static final int UTF8 = 1;
  static final int INTEGER = 3;
  static final int FLOAT = 4;
  static final int LONG = 5;
  static final int DOUBLE = 6;
  static final int CLASS = 7;
  static final int STRING = 8;
  static final int FIELDREF = 9;
  static final int METHODREF = 10;
  static final int INTERFACE_METHODREF = 11;
  static final int NAME_AND_TYPE = 12;
  static final int METHOD_HANDLE = 15;
  static final int METHOD_TYPE = 16;
  static final int DYNAMIC = 17;
  static final int INVOKE_DYNAMIC = 18;
  static final int MODULE = 19;
  static final int PACKAGE = 20;

  static final int ACC_NATIVE = 0x0100;

  /** The bytes after the tag of a constant-pool entry of {@code tag}; UTF8 is 2 + its length. */
  static int entrySize(int tag) {
    switch (tag) {
      case CLASS: case STRING: case METHOD_TYPE: case MODULE: case PACKAGE:
        return 2;
      case METHOD_HANDLE:
        return 3;
      case INTEGER: case FLOAT: case FIELDREF: case METHODREF: case INTERFACE_METHODREF:
      case NAME_AND_TYPE: case DYNAMIC: case INVOKE_DYNAMIC:
        return 4;
      case LONG: case DOUBLE:
        return 8;
      default:
        throw new IllegalArgumentException("constant-pool tag " + tag + " is not one of JVMS 4.4");
    }
  }

  /** Whether an entry of {@code tag} takes two constant-pool slots. */
  static boolean wide(int tag) {
    return tag == LONG || tag == DOUBLE;
  }

  // Instructions whose operand is a constant-pool index: the u1 of LDC, else a u2 right after
  // the opcode (GETSTATIC..INVOKEDYNAMIC, NEW, ANEWARRAY, CHECKCAST, INSTANCEOF, MULTIANEWARRAY).
  static final int LDC = 0x12;
  static final int LDC_W = 0x13;
  static final int LDC2_W = 0x14;
  static final int TABLESWITCH = 0xaa;
  static final int LOOKUPSWITCH = 0xab;
  static final int WIDE = 0xc4;
  static final int IINC = 0x84;

  /** Whether {@code opcode} takes a u2 constant-pool index right after it. */
  static boolean hasU2ConstantOperand(int opcode) {
    return opcode == LDC_W || opcode == LDC2_W || (opcode >= 0xb2 && opcode <= 0xbb)
        || opcode == 0xbd || opcode == 0xc0 || opcode == 0xc1 || opcode == 0xc5;
  }

  private static final byte[] LENGTH = new byte[256];

  static {
    java.util.Arrays.fill(LENGTH, (byte) 1);
    for (int op : new int[] {0x10, LDC, 0x15, 0x16, 0x17, 0x18, 0x19, 0x36, 0x37, 0x38, 0x39,
        0x3a, 0xa9, 0xbc}) {
      LENGTH[op] = 2;
    }
    for (int op = 0x99; op <= 0xa8; op++) {
      LENGTH[op] = 3; // if<cond>, if_icmp<cond>, if_acmp<cond>, goto, jsr
    }
    for (int op = 0xb2; op <= 0xb8; op++) {
      LENGTH[op] = 3; // get/put static/field, invokevirtual/special/static
    }
    for (int op : new int[] {0x11, LDC_W, LDC2_W, IINC, 0xbb, 0xbd, 0xc0, 0xc1, 0xc6, 0xc7}) {
      LENGTH[op] = 3;
    }
    LENGTH[0xc5] = 4; // multianewarray
    for (int op : new int[] {0xb9, 0xba, 0xc8, 0xc9}) {
      LENGTH[op] = 5; // invokeinterface, invokedynamic, goto_w, jsr_w
    }
  }

  /**
   * The length in bytes of the instruction at {@code pc} in {@code code}, switches and
   * {@code wide} included.
   */
  static int instructionLength(byte[] code, int pc) {
    int op = code[pc] & 0xff;
    if (op == TABLESWITCH || op == LOOKUPSWITCH) {
      int at = (pc + 4) & ~3; // padding to a multiple of 4 from the start of the code
      if (op == TABLESWITCH) {
        int low = s4(code, at + 4);
        int high = s4(code, at + 8);
        return at - pc + 12 + 4 * (high - low + 1);
      }
      return at - pc + 8 + 8 * s4(code, at + 4);
    }
    if (op == WIDE) {
      return (code[pc + 1] & 0xff) == IINC ? 6 : 4;
    }
    return LENGTH[op];
  }

  static int u2(byte[] b, int at) {
    return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
  }

  static int s4(byte[] b, int at) {
    return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8
        | (b[at + 3] & 0xff);
  }

  private ClassFileDescriptor() {}
}
