package foundation.foxlight.skulklogs.schema;

/** Strict UTF-8 validation (Unicode Table 3-7: no overlongs, no surrogates, nothing above U+10FFFF). */
final class Utf8 {
    private Utf8() {
    }

    /** Whether {@code bytes[offset, offset+length)} is well-formed UTF-8. Stateless and thread-safe. */
    static boolean isValid(byte[] bytes, int offset, int length) {
        int i = offset;
        final int end = offset + length;
        while (i < end) {
            int b = bytes[i];
            if (b >= 0) {
                i++;
                continue;
            }
            b &= 0xFF;
            if (b < 0xC2) {
                return false; // a continuation byte without a lead, or an overlong 2-byte form
            }
            if (b < 0xE0) {
                if (i + 1 >= end || !isContinuation(bytes[i + 1])) {
                    return false;
                }
                i += 2;
            } else if (b < 0xF0) {
                if (i + 2 >= end) {
                    return false;
                }
                int b1 = bytes[i + 1] & 0xFF;
                if (!isContinuation(b1) || !isContinuation(bytes[i + 2])
                        || (b == 0xE0 && b1 < 0xA0) // overlong
                        || (b == 0xED && b1 > 0x9F)) { // UTF-16 surrogate code point
                    return false;
                }
                i += 3;
            } else if (b < 0xF5) {
                if (i + 3 >= end) {
                    return false;
                }
                int b1 = bytes[i + 1] & 0xFF;
                if (!isContinuation(b1) || !isContinuation(bytes[i + 2]) || !isContinuation(bytes[i + 3])
                        || (b == 0xF0 && b1 < 0x90) // overlong
                        || (b == 0xF4 && b1 > 0x8F)) { // above U+10FFFF
                    return false;
                }
                i += 4;
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean isContinuation(int b) {
        return (b & 0xC0) == 0x80;
    }
}
