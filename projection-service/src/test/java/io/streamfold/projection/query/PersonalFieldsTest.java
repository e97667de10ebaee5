package io.streamfold.projection.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamfold.projection.events.OpenedPersonalFields;
import io.streamfold.projection.plugin.PersonalFields;
import io.streamfold.projection.plugin.Versioned;
import io.streamfold.projection.plugin.ViewProjection;
import io.streamfold.schemas.crypto.InMemoryDataKeys;
import io.streamfold.schemas.crypto.PersonalData;
import io.streamfold.schemas.registry.SchemaRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** A plug-in view's sealed personal values, as its route answers them. */
class PersonalFieldsTest {
  private final PersonalData personal = new PersonalData(new InMemoryDataKeys());
  private final PersonalFields fields = new OpenedPersonalFields(personal);

  /** A member's view keeps the name as sealed, with its subject. */
  record Member(String subject, String name, int visits) {}

  /** What every plug-in gives besides its rendering; never called here. */
  abstract static class MemberViews implements ViewProjection<Member, Member> {
    @Override
    public String store() {
      return "member-views";
    }

    @Override
    public String collection() {
      return "members";
    }

    @Override
    public Function<byte[], Member> decoder(SchemaRegistry registry) {
      throw new UnsupportedOperationException();
    }

    @Override
    public String key(Member event) {
      return event.subject();
    }

    @Override
    public long version(Member event) {
      return 1;
    }

    @Override
    public Member apply(Member current, Member event) {
      return event;
    }

    @Override
    public byte[] write(Member view) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Member read(byte[] stored) {
      throw new UnsupportedOperationException();
    }
  }

  /**
   * Renders through the platform's {@link PersonalFields}, as a plug-in with personal data does.
   */
  static final class Members extends MemberViews {
    @Override
    public Map<String, Object> render(String id, Member view, PersonalFields personal) {
      Map<String, Object> body = new LinkedHashMap<>();
      personal.put(body, "name", view.subject(), view.name());
      body.put("visits", view.visits());
      return body;
    }
  }

  private Map<String, Object> answer(Member member) {
    return ViewRoutes.body(new Members(), "m-1", new Versioned<>(3, 0, member), fields);
  }

  @Test
  void shouldOpenASealedValueAndShowItsErasure() {
    Member ada = new Member("s-1", personal.seal("s-1", "name", "Ada Lovelace"), 2);

    assertThat(answer(ada))
        .containsExactly(
            Map.entry("id", "m-1"),
            Map.entry("name", "Ada Lovelace"),
            Map.entry("visits", 2),
            Map.entry("version", 3L));

    personal.forget("s-1");
    Map<String, Object> erased = answer(ada);
    assertThat(erased).containsEntry("name", null).containsEntry("nameErased", true);
    assertThat(erased).doesNotContainKey("nameUnreadable");
  }

  @Test
  void shouldSayWhyAValueCannotBeOpenedAndShowPlainTextAsItIs() {
    String sealed = personal.seal("s-2", "name", "Grace Hopper");
    Member altered = new Member("s-2", sealed.substring(0, sealed.length() - 4) + "AAAA", 1);
    Map<String, Object> unreadable = answer(altered);
    assertThat(unreadable).containsEntry("name", null).containsKey("nameUnreadable");
    assertThat(unreadable).doesNotContainKey("nameErased");

    assertThat(answer(new Member(null, "Plain Name", 1))).containsEntry("name", "Plain Name");
    assertThat(answer(new Member("s-2", null, 1))).containsEntry("name", null);
  }

  @Test
  void shouldRenderAViewWithoutPersonalValuesThroughItsTwoArgumentRendering() {
    ViewProjection<Member, Member> plain =
        new MemberViews() {
          @Override
          public Map<String, Object> render(String id, Member view) {
            return Map.of("visits", view.visits());
          }
        };
    assertThat(
            ViewRoutes.body(plain, "m-2", new Versioned<>(1, 2, new Member("s", "x", 5)), fields))
        .containsExactly(
            Map.entry("id", "m-2"),
            Map.entry("visits", 5),
            Map.entry("version", 1L),
            Map.entry("missingVersions", 2L));
  }
}
