package io.streamfold.schemas.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class LocalKeyEncryptionKeyTest {
  static final String KEK = Base64.getEncoder().encodeToString(new byte[32]);
  static final String OTHER =
      Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

  @Test
  void shouldWrapAndUnwrapBoundToItsAssociatedData() {
    LocalKeyEncryptionKey kek = LocalKeyEncryptionKey.fromBase64(KEK);
    byte[] dataKey = Aes.randomKey();
    byte[] bound = "s/k".getBytes(StandardCharsets.UTF_8);

    byte[] wrapped = kek.wrap(dataKey, bound);

    assertThat(kek.unwrap(wrapped, bound)).isEqualTo(dataKey);
    assertThatThrownBy(() -> kek.unwrap(wrapped, "s/other".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> LocalKeyEncryptionKey.fromBase64(OTHER).unwrap(wrapped, bound))
        .isInstanceOf(CryptoException.class);
  }

  @Test
  void shouldNameItselfByAFingerprintNotByTheKey() {
    LocalKeyEncryptionKey kek = LocalKeyEncryptionKey.fromBase64(KEK);

    assertThat(kek.id()).startsWith("local:").hasSize("local:".length() + 16);
    assertThat(kek.id()).isNotEqualTo(LocalKeyEncryptionKey.fromBase64(OTHER).id());
    assertThat(kek.id()).isEqualTo(LocalKeyEncryptionKey.fromBase64(KEK).id());
  }

  @Test
  void shouldRefuseAKeyThatIsNot256BitsOfBase64() {
    assertThatThrownBy(() -> LocalKeyEncryptionKey.fromBase64("not base64!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("base64");
    assertThatThrownBy(
            () ->
                LocalKeyEncryptionKey.fromBase64(Base64.getEncoder().encodeToString(new byte[16])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes");
  }
}
