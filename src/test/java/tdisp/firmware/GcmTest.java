package tdisp.firmware;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

/** Our allocation-free GCM must be bit-identical to the JDK's, and must reject any change. */
class GcmTest {
    @Test
    void matchesJdkGcmOnRandomInputs() throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        for (int round = 0; round < 200; round++) {
            byte[] key = new byte[32];
            byte[] iv = new byte[12];
            byte[] aad = new byte[r.nextInt(0, 40)];
            byte[] msg = new byte[r.nextInt(0, 100)];
            r.nextBytes(key);
            r.nextBytes(iv);
            r.nextBytes(aad);
            r.nextBytes(msg);
            Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
            jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            jdk.updateAAD(aad);
            byte[] expected = jdk.doFinal(msg);
            Gcm g = new Gcm(key);
            byte[] out = new byte[msg.length + 16];
            assertEquals(msg.length + 16, g.seal(iv, aad, aad.length, msg, msg.length, out));
            assertArrayEquals(expected, out, "round " + round);
            byte[] back = new byte[msg.length];
            assertEquals(msg.length, g.open(iv, aad, aad.length, out, out.length, back));
            assertArrayEquals(msg, back);
            if (out.length > 0) {
                out[r.nextInt(out.length)] ^= 1 << r.nextInt(8);
                assertEquals(-1, g.open(iv, aad, aad.length, out, out.length, back));
            }
        }
    }

    @Test
    void channelRejectsWrongSequenceOrType() {
        SecureChannel c = new SecureChannel(SecureChannel.newKey(new SplittableRandom(1)));
        byte[] sealed = c.seal(5, 25, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, c.open(5, 25, sealed));
        assertNull(c.open(7, 25, sealed), "replayed under another sequence number");
        assertNull(c.open(5, 19, sealed), "type changed");
    }
}
