package tdisp.firmware;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.SplittableRandom;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One end of the guest <-> firmware message channel: AES-256-GCM under a key only the
 * guest and the firmware hold (AMD: VMPCK from the SNP secrets page; TDX: the TD's
 * binding with the module). The sequence number is both the IV and part of the AAD, as in
 * the SNP guest message header, so a replayed or reordered message fails to open.
 */
public final class SecureChannel {
    private static final int TAG_BITS = 128;
    private final SecretKeySpec key;
    private Cipher cipher;

    SecureChannel(byte[] key) {
        this.key = new SecretKeySpec(key.clone(), "AES");
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable in this JDK", e);
        }
    }

    /** Derives a fresh 256-bit key from the run's seeded random source. */
    static byte[] newKey(SplittableRandom rng) {
        byte[] k = new byte[32];
        rng.nextBytes(k);
        return k;
    }

    private static byte[] iv(long seq) {
        return ByteBuffer.allocate(12).putInt(0x54494f00).putLong(seq).array();
    }

    private static byte[] aad(long seq, int msgType) {
        return ByteBuffer.allocate(12).putLong(seq).putInt(msgType).array();
    }

    public byte[] seal(long seq, int msgType, byte[] plaintext) {
        try {
            try {
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv(seq)));
            } catch (java.security.InvalidAlgorithmParameterException reuse) {
                // Only a firmware with the replay check faulted out seals twice under one
                // sequence number (GCM nonce reuse); the JDK refuses that on one Cipher
                // object, so take a fresh one and let the injected fault play out.
                cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv(seq)));
            }
            cipher.updateAAD(aad(seq, msgType));
            return cipher.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the plaintext, or null if the ciphertext, sequence number or type was altered */
    public byte[] open(long seq, int msgType, byte[] ciphertext) {
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv(seq)));
            cipher.updateAAD(aad(seq, msgType));
            return cipher.doFinal(ciphertext);
        } catch (GeneralSecurityException e) {
            return null;
        }
    }
}
