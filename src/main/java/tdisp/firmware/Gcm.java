package tdisp.firmware;

import java.security.GeneralSecurityException;

import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM (NIST SP 800-38D, 96-bit IV, 128-bit tag) over the JDK's AES block cipher, with
 * every buffer preallocated. The JDK's own "AES/GCM/NoPadding" must be re-initialised for
 * each IV, which allocates; this one does not, so the guest-request hot path can run
 * without allocation. The output is bit-identical to the JDK's GCM (see GcmTest).
 * Not thread-safe: one instance per channel end.
 */
final class Gcm {
    private final Cipher aes;
    private final long hHi;
    private final long hLo;
    private final byte[] counter = new byte[16];
    private final byte[] keystream = new byte[16];
    private final byte[] block = new byte[16];
    private long sHi;
    private long sLo;

    Gcm(byte[] key) {
        try {
            aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES unavailable in this JDK", e);
        }
        byte[] h = new byte[16];
        encryptBlock(h, h);
        hHi = getLong(h, 0);
        hLo = getLong(h, 8);
    }

    private void encryptBlock(byte[] in, byte[] out) {
        try {
            aes.update(in, 0, 16, out, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Encrypts {@code len} bytes of {@code in} into {@code out} and appends the tag; returns len+16. */
    int seal(byte[] iv12, byte[] aad, int aadLen, byte[] in, int len, byte[] out) {
        crypt(iv12, in, len, out);
        tag(iv12, aad, aadLen, out, len, out, len);
        return len + 16;
    }

    /** Verifies and decrypts {@code len} bytes (ciphertext + tag); returns the plaintext length or -1. */
    int open(byte[] iv12, byte[] aad, int aadLen, byte[] in, int len, byte[] out) {
        if (len < 16) return -1;
        int clen = len - 16;
        tag(iv12, aad, aadLen, in, clen, block, 0);
        int diff = 0;
        for (int i = 0; i < 16; i++) diff |= block[i] ^ in[clen + i];
        if (diff != 0) return -1;
        crypt(iv12, in, clen, out);
        return clen;
    }

    /** CTR mode from inc32(J0). */
    private void crypt(byte[] iv12, byte[] in, int len, byte[] out) {
        System.arraycopy(iv12, 0, counter, 0, 12);
        int ctr = 2;
        for (int off = 0; off < len; off += 16) {
            putInt(counter, 12, ctr++);
            encryptBlock(counter, keystream);
            int n = Math.min(16, len - off);
            for (int i = 0; i < n; i++) out[off + i] = (byte) (in[off + i] ^ keystream[i]);
        }
    }

    /** T = E(J0) xor GHASH(A, C). */
    private void tag(byte[] iv12, byte[] aad, int aadLen, byte[] c, int clen, byte[] out, int outOff) {
        sHi = 0;
        sLo = 0;
        absorb(aad, aadLen);
        absorb(c, clen);
        xorBlock((long) aadLen * 8, (long) clen * 8);
        System.arraycopy(iv12, 0, counter, 0, 12);
        putInt(counter, 12, 1);
        encryptBlock(counter, keystream);
        long tHi = sHi ^ getLong(keystream, 0);
        long tLo = sLo ^ getLong(keystream, 8);
        putLong(out, outOff, tHi);
        putLong(out, outOff + 8, tLo);
    }

    private void absorb(byte[] data, int len) {
        for (int off = 0; off < len; off += 16) {
            int n = Math.min(16, len - off);
            long hi = 0;
            long lo = 0;
            for (int i = 0; i < 16; i++) {
                long b = i < n ? data[off + i] & 0xff : 0;
                if (i < 8) hi |= b << (56 - 8 * i); else lo |= b << (120 - 8 * i);
            }
            xorBlock(hi, lo);
        }
    }

    /** S = (S xor X) * H in GF(2^128), GCM bit order (SP 800-38D Algorithm 1). */
    private void xorBlock(long xHi, long xLo) {
        long zHi = 0;
        long zLo = 0;
        long vHi = hHi;
        long vLo = hLo;
        // Two straight loops over the two halves of X (MSB first): no branch inside.
        long x = sHi ^ xHi;
        for (int i = 63; i >= 0; i--) {
            long mask = -((x >>> i) & 1);
            zHi ^= vHi & mask;
            zLo ^= vLo & mask;
            long lsb = -(vLo & 1);
            vLo = (vLo >>> 1) | (vHi << 63);
            vHi = (vHi >>> 1) ^ (0xE100000000000000L & lsb);
        }
        x = sLo ^ xLo;
        for (int i = 63; i >= 0; i--) {
            long mask = -((x >>> i) & 1);
            zHi ^= vHi & mask;
            zLo ^= vLo & mask;
            long lsb = -(vLo & 1);
            vLo = (vLo >>> 1) | (vHi << 63);
            vHi = (vHi >>> 1) ^ (0xE100000000000000L & lsb);
        }
        sHi = zHi;
        sLo = zLo;
    }

    static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (b[off + i] & 0xff);
        return v;
    }

    static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
