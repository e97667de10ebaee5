package io.streamfold.projection.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamfold.projection.events.OpenedPersonalFields;
import io.streamfold.projection.plugin.PersonalFields;
import io.streamfold.projection.plugin.Versioned;
import io.streamfold.projection.query.PersonalFieldsTest.Member;
import io.streamfold.projection.query.PersonalFieldsTest.Members;
import io.streamfold.schemas.crypto.InMemoryDataKeys;
import io.streamfold.schemas.crypto.PersonalData;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** A read's body is rendered again exactly when what it shows may have changed. */
class RenderedViewsTest {
  private final PersonalData personal = new PersonalData(new InMemoryDataKeys());
  private final PersonalFields fields = new OpenedPersonalFields(personal);
  private final RenderedViews<Member> rendered = new RenderedViews<>(personal, fields);
  private int renderings;

  private String answer(String id, Versioned<Member> found) {
    Function<PersonalFields, Map<String, Object>> render =
        opening -> {
          renderings++;
          return ViewRoutes.body(new Members(), id, found, opening);
        };
    RenderedViews.Body<Member> body = rendered.body(id, found, render);
    assertThat(body.etag()).isEqualTo("\"" + found.version() + "\"");
    return new String(body.json(), StandardCharsets.UTF_8);
  }

  @Test
  void shouldRenderAViewOnceWhileItStaysTheSame() {
    Member ada = new Member("s-1", personal.seal("s-1", "name", "Ada"), 2);

    String first = answer("m-1", new Versioned<>(3, 0, ada));
    String again = answer("m-1", new Versioned<>(3, 0, new Member(ada.subject(), ada.name(), 2)));

    assertThat(first)
        .isEqualTo(again)
        .isEqualTo("{\"id\":\"m-1\",\"name\":\"Ada\",\"visits\":2,\"version\":3}");
    assertThat(renderings).isEqualTo(1);
  }

  @Test
  void shouldRenderAgainWhenTheViewOrItsGapsChange() {
    Member ada = new Member("s-1", personal.seal("s-1", "name", "Ada"), 2);
    answer("m-1", new Versioned<>(3, 0, ada));

    assertThat(answer("m-1", new Versioned<>(4, 0, new Member("s-1", ada.name(), 3))))
        .contains("\"visits\":3", "\"version\":4");
    assertThat(answer("m-1", new Versioned<>(4, 1, new Member("s-1", ada.name(), 3))))
        .contains("\"missingVersions\":1");
    assertThat(renderings).isEqualTo(3);
  }

  @Test
  void shouldShowAnErasureLearntAfterTheViewWasRendered() {
    Member ada = new Member("s-1", personal.seal("s-1", "name", "Ada"), 2);
    Versioned<Member> found = new Versioned<>(3, 0, ada);
    assertThat(answer("m-1", found)).contains("\"name\":\"Ada\"");

    personal.forget("s-1");

    assertThat(answer("m-1", found)).contains("\"name\":null", "\"nameErased\":true");
    assertThat(answer("m-1", found)).doesNotContain("Ada");
    assertThat(renderings).isEqualTo(2);
  }

  @Test
  void shouldNotKeepABodyWhoseValueCouldNotBeOpened() {
    String sealed = personal.seal("s-2", "name", "Grace");
    Versioned<Member> altered =
        new Versioned<>(
            1, 0, new Member("s-2", sealed.substring(0, sealed.length() - 4) + "AAAA", 1));

    assertThat(answer("m-2", altered)).contains("\"nameUnreadable\"");
    assertThat(answer("m-2", altered)).contains("\"nameUnreadable\"");
    assertThat(renderings).isEqualTo(2);
  }

  @Test
  void shouldNeverAnswerAnotherIdsBodyFromTheSameSlot() {
    // "Aa" and "BB" have the same hash code, so the same slot.
    assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
    Versioned<Member> same = new Versioned<>(1, 0, new Member(null, "plain", 1));

    assertThat(answer("Aa", same)).startsWith("{\"id\":\"Aa\"");
    assertThat(answer("BB", same)).startsWith("{\"id\":\"BB\"");
    assertThat(answer("Aa", same)).startsWith("{\"id\":\"Aa\"");
    assertThat(renderings).isEqualTo(3);
  }
}
