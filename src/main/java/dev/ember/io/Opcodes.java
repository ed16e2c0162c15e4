package dev.ember.io;

/** Pickle opcodes (CPython's Lib/pickle.py names), the ones Ember reads and writes plus names for error messages. */
final class Opcodes {
    private Opcodes() {}

    static final int MARK = '(', STOP = '.', POP = '0', POP_MARK = '1', DUP = '2', FLOAT = 'F', INT = 'I', BININT = 'J', BININT1 = 'K',
            LONG = 'L', BININT2 = 'M', NONE = 'N', PERSID = 'P', BINPERSID = 'Q', REDUCE = 'R', STRING = 'S', BINSTRING = 'T',
            SHORT_BINSTRING = 'U', UNICODE = 'V', BINUNICODE = 'X', APPEND = 'a', BUILD = 'b', GLOBAL = 'c', DICT = 'd', EMPTY_DICT = '}',
            APPENDS = 'e', GET = 'g', BINGET = 'h', INST = 'i', LONG_BINGET = 'j', LIST = 'l', EMPTY_LIST = ']', OBJ = 'o', PUT = 'p',
            BINPUT = 'q', LONG_BINPUT = 'r', SETITEM = 's', TUPLE = 't', EMPTY_TUPLE = ')', SETITEMS = 'u', BINFLOAT = 'G',
            PROTO = 0x80, NEWOBJ = 0x81, EXT1 = 0x82, EXT2 = 0x83, EXT4 = 0x84, TUPLE1 = 0x85, TUPLE2 = 0x86, TUPLE3 = 0x87,
            NEWTRUE = 0x88, NEWFALSE = 0x89, LONG1 = 0x8a, LONG4 = 0x8b, BINBYTES = 'B', SHORT_BINBYTES = 'C',
            SHORT_BINUNICODE = 0x8c, BINUNICODE8 = 0x8d, BINBYTES8 = 0x8e, EMPTY_SET = 0x8f, ADDITEMS = 0x90, FROZENSET = 0x91,
            NEWOBJ_EX = 0x92, STACK_GLOBAL = 0x93, MEMOIZE = 0x94, FRAME = 0x95, BYTEARRAY8 = 0x96, NEXT_BUFFER = 0x97, READONLY_BUFFER = 0x98;

    static String name(int op) {
        return switch (op) {
            case MARK -> "MARK"; case STOP -> "STOP"; case POP -> "POP"; case POP_MARK -> "POP_MARK"; case DUP -> "DUP";
            case FLOAT -> "FLOAT"; case INT -> "INT"; case BININT -> "BININT"; case BININT1 -> "BININT1"; case LONG -> "LONG";
            case BININT2 -> "BININT2"; case NONE -> "NONE"; case PERSID -> "PERSID"; case BINPERSID -> "BINPERSID"; case REDUCE -> "REDUCE";
            case STRING -> "STRING"; case BINSTRING -> "BINSTRING"; case SHORT_BINSTRING -> "SHORT_BINSTRING"; case UNICODE -> "UNICODE";
            case BINUNICODE -> "BINUNICODE"; case APPEND -> "APPEND"; case BUILD -> "BUILD"; case GLOBAL -> "GLOBAL"; case DICT -> "DICT";
            case EMPTY_DICT -> "EMPTY_DICT"; case APPENDS -> "APPENDS"; case GET -> "GET"; case BINGET -> "BINGET"; case INST -> "INST";
            case LONG_BINGET -> "LONG_BINGET"; case LIST -> "LIST"; case EMPTY_LIST -> "EMPTY_LIST"; case OBJ -> "OBJ"; case PUT -> "PUT";
            case BINPUT -> "BINPUT"; case LONG_BINPUT -> "LONG_BINPUT"; case SETITEM -> "SETITEM"; case TUPLE -> "TUPLE";
            case EMPTY_TUPLE -> "EMPTY_TUPLE"; case SETITEMS -> "SETITEMS"; case BINFLOAT -> "BINFLOAT"; case PROTO -> "PROTO";
            case NEWOBJ -> "NEWOBJ"; case EXT1 -> "EXT1"; case EXT2 -> "EXT2"; case EXT4 -> "EXT4"; case TUPLE1 -> "TUPLE1";
            case TUPLE2 -> "TUPLE2"; case TUPLE3 -> "TUPLE3"; case NEWTRUE -> "NEWTRUE"; case NEWFALSE -> "NEWFALSE"; case LONG1 -> "LONG1";
            case LONG4 -> "LONG4"; case BINBYTES -> "BINBYTES"; case SHORT_BINBYTES -> "SHORT_BINBYTES"; case SHORT_BINUNICODE -> "SHORT_BINUNICODE";
            case BINUNICODE8 -> "BINUNICODE8"; case BINBYTES8 -> "BINBYTES8"; case EMPTY_SET -> "EMPTY_SET"; case ADDITEMS -> "ADDITEMS";
            case FROZENSET -> "FROZENSET"; case NEWOBJ_EX -> "NEWOBJ_EX"; case STACK_GLOBAL -> "STACK_GLOBAL"; case MEMOIZE -> "MEMOIZE";
            case FRAME -> "FRAME"; case BYTEARRAY8 -> "BYTEARRAY8"; case NEXT_BUFFER -> "NEXT_BUFFER"; case READONLY_BUFFER -> "READONLY_BUFFER";
            default -> String.format("unknown opcode 0x%02x", op);
        };
    }
}
