package io.streamfold.schemas.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FieldCipherTest {
  final InMemoryDataKeys keys = new InMemoryDataKeys();
  final FieldCipher cipher = new FieldCipher(keys);

  @Test
  void shouldRoundTripAFieldWithoutItsPlaintextInTheCiphertext() {
    byte[] sealed = cipher.encryptString("subject-1", "owner", "Ada Lovelace");

    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("Ada");
    assertThat(cipher.decryptString("subject-1", "owner", sealed)).isEqualTo("Ada Lovelace");
    assertThat(cipher.encryptString("subject-1", "owner", "Ada Lovelace"))
        .as("a fresh nonce each time")
        .isNotEqualTo(sealed);
  }

  @Test
  void shouldRefuseAlteredCiphertext() {
    byte[] sealed = cipher.encryptString("subject-1", "owner", "Ada");
    for (int i = 2 + 2; i < sealed.length; i++) { // every byte after the key id
      byte[] altered = sealed.clone();
      altered[i] ^= 0x01;
      assertThatThrownBy(() -> cipher.decrypt("subject-1", "owner", altered))
          .isInstanceOf(CryptoException.class)
          .isNotInstanceOf(SubjectErasedException.class);
    }
    byte[] truncated = java.util.Arrays.copyOf(sealed, sealed.length - 1);
    assertThatThrownBy(() -> cipher.decrypt("subject-1", "owner", truncated))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> cipher.decrypt("subject-1", "owner", new byte[] {7, 1, 2}))
        .isInstanceOf(CryptoException.class)
        .hasMessageContaining("format");
    assertThatThrownBy(() -> cipher.decrypt("subject-1", "owner", new byte[] {1}))
        .isInstanceOf(CryptoException.class);
  }

  @Test
  void shouldBindTheCiphertextToItsSubjectAndField() {
    byte[] sealed = cipher.encryptString("subject-1", "owner", "Ada");
    cipher.encryptString("subject-2", "owner", "Bob"); // subject-2 has a key

    assertThatThrownBy(() -> cipher.decrypt("subject-1", "email", sealed))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> cipher.decrypt("subject-2", "owner", sealed))
        .isInstanceOf(CryptoException.class);
  }

  @Test
  void shouldSayAForgottenSubjectIsErasedAndRefuseNewDataForIt() {
    byte[] sealed = cipher.encryptString("subject-1", "owner", "Ada");
    byte[] other = cipher.encryptString("subject-2", "owner", "Bob");

    keys.forget("subject-1");

    assertThatThrownBy(() -> cipher.decrypt("subject-1", "owner", sealed))
        .isInstanceOf(SubjectErasedException.class)
        .hasMessageContaining("subject-1");
    assertThatThrownBy(() -> cipher.encryptString("subject-1", "owner", "Ada again"))
        .isInstanceOf(SubjectErasedException.class);
    assertThat(cipher.decryptString("subject-2", "owner", other)).isEqualTo("Bob");
  }

  @Test
  void shouldReportAnUnknownKeyAsSuchNotAsAnErasure() {
    byte[] sealed = cipher.encryptString("subject-1", "owner", "Ada");
    FieldCipher elsewhere = new FieldCipher(new InMemoryDataKeys()); // the keys were lost

    assertThatThrownBy(() -> elsewhere.decrypt("subject-1", "owner", sealed))
        .isInstanceOf(CryptoException.class)
        .isNotInstanceOf(SubjectErasedException.class)
        .hasMessageContaining("No key");
  }
}
