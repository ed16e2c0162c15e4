package dev.ember.io;

import java.io.ByteArrayOutputStream;

/**
 * UTF-8 as pickle uses it: Python encodes and decodes BINUNICODE with {@code surrogatepass}, so a lone
 * surrogate is three bytes rather than an error. Anything else that is not well-formed UTF-8 is refused.
 */
final class PickleStrings {
    private PickleStrings() {}

    static String decodeUtf8(byte[] b) throws ModelFormatException {
        StringBuilder sb = new StringBuilder(b.length);
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                sb.append((char) c);
                i++;
                continue;
            }
            int n, cp, min;
            if (c >= 0xC2 && c <= 0xDF) { n = 1; cp = c & 0x1F; min = 0x80; }
            else if (c >= 0xE0 && c <= 0xEF) { n = 2; cp = c & 0x0F; min = 0x800; }
            else if (c >= 0xF0 && c <= 0xF4) { n = 3; cp = c & 0x07; min = 0x10000; }
            else throw bad(i);
            if (i + n >= b.length) throw bad(i);
            for (int k = 1; k <= n; k++) {
                int cc = b[i + k] & 0xFF;
                if ((cc & 0xC0) != 0x80) throw bad(i);
                cp = cp << 6 | (cc & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF) throw bad(i);
            sb.appendCodePoint(cp);
            i += n + 1;
        }
        return sb.toString();
    }

    private static ModelFormatException bad(int at) {
        return new ModelFormatException("string is not valid UTF-8 (byte " + at + ")");
    }

    static byte[] encodeUtf8(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int cp = c;
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) cp = Character.toCodePoint(c, s.charAt(++i));
            if (cp < 0x80) {
                out.write(cp);
            } else if (cp < 0x800) {
                out.write(0xC0 | cp >> 6);
                out.write(0x80 | cp & 0x3F);
            } else if (cp < 0x10000) {
                out.write(0xE0 | cp >> 12);
                out.write(0x80 | cp >> 6 & 0x3F);
                out.write(0x80 | cp & 0x3F);
            } else {
                out.write(0xF0 | cp >> 18);
                out.write(0x80 | cp >> 12 & 0x3F);
                out.write(0x80 | cp >> 6 & 0x3F);
                out.write(0x80 | cp & 0x3F);
            }
        }
        return out.toByteArray();
    }
}
