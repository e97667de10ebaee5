package io.streamfold.schemas.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class PersonalDataTest {
  final InMemoryDataKeys keys = new InMemoryDataKeys();
  final PersonalData personal = new PersonalData(keys);

  @Test
  void sealsToTextThatOpensOnlyForItsSubjectAndField() {
    String sealed = personal.seal("s-1", "owner", "Ada Lovelace");

    assertThat(sealed).doesNotContain("Ada");
    assertThat(
            new String(
                Base64.getDecoder().decode(sealed), java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("Ada");
    assertThat(personal.open("s-1", "owner", sealed))
        .isEqualTo(new PersonalData.Opened("Ada Lovelace", false, null));
    personal.seal("s-2", "owner", "someone else"); // s-2 has a key of its own
    assertThat(personal.open("s-2", "owner", sealed).error()).isNotBlank();
    assertThat(personal.open("s-1", "name", sealed).error()).isNotBlank();
  }

  @Test
  void showsAForgottenSubjectAsErasedNotAsAnError() {
    String sealed = personal.seal("s-1", "owner", "Ada");
    String other = personal.seal("s-2", "owner", "Grace");
    assertThat(personal.open("s-1", "owner", sealed).value()).isEqualTo("Ada"); // now cached
    assertThat(personal.open("s-2", "owner", other).value()).isEqualTo("Grace");

    personal.forget("s-1");

    assertThat(personal.open("s-1", "owner", sealed))
        .isEqualTo(new PersonalData.Opened(null, true, null));
    assertThat(personal.open("s-2", "owner", other).value()).isEqualTo("Grace");
    assertThatThrownBy(() -> personal.seal("s-1", "owner", "Ada again"))
        .isInstanceOf(SubjectErasedException.class);
  }

  @Test
  void namesWhyTamperedOrUnknownCiphertextCannotBeRead() {
    String sealed = personal.seal("s-1", "owner", "Ada");
    byte[] bytes = Base64.getDecoder().decode(sealed);
    bytes[bytes.length - 1] ^= 1;

    PersonalData.Opened tampered =
        personal.open("s-1", "owner", Base64.getEncoder().encodeToString(bytes));
    assertThat(tampered.value()).isNull();
    assertThat(tampered.erased()).isFalse();
    assertThat(tampered.error()).isNotBlank();

    PersonalData.Opened unknownKey =
        personal.open("s-9", "owner", sealed); // a subject that never had this key
    assertThat(unknownKey.error()).contains("No key");
    assertThat(personal.open("s-1", "owner", "not base64!").error()).contains("base64");
  }

  @Test
  void dropsAValueOpenedWhileItsSubjectWasForgotten() {
    String sealed = personal.seal("s-1", "owner", "Ada");
    // an erasure learnt of between the decryption and the caching: the value is not kept
    DataKeys racing =
        new DataKeys() {
          @Override
          public DataKey current(String subjectId) {
            return keys.current(subjectId);
          }

          @Override
          public DataKey find(String subjectId, String keyId) {
            DataKey key = keys.find(subjectId, keyId);
            keys.forget(subjectId); // the marker arrives right after the key was found
            return key;
          }

          @Override
          public void forget(String subjectId) {
            keys.forget(subjectId);
          }

          @Override
          public boolean isErased(String subjectId) {
            return keys.isErased(subjectId);
          }

          @Override
          public void onErasure(java.util.function.Consumer<String> listener) {
            keys.onErasure(listener);
          }
        };
    PersonalData reading = new PersonalData(racing);

    assertThat(reading.open("s-1", "owner", sealed).value()).isEqualTo("Ada");
    assertThat(reading.open("s-1", "owner", sealed))
        .isEqualTo(new PersonalData.Opened(null, true, null));
  }

  @Test
  void readsPlainTextWrittenBeforeSubjectsExisted() {
    assertThat(personal.open(null, "owner", "Ada").value()).isEqualTo("Ada");
  }

  @Test
  void blindsEqualValuesAlikeAndOthersNot() {
    String ada = personal.blind("s-1", "owner", "Ada");

    assertThat(personal.blind("s-1", "owner", "Ada")).isEqualTo(ada);
    assertThat(personal.blind("s-1", "owner", "Ada L")).isNotEqualTo(ada);
    assertThat(personal.blind("s-2", "owner", "Ada")).isNotEqualTo(ada);
    assertThat(ada).doesNotContain("Ada");
  }
}
