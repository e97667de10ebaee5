package io.streamfold.projection.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamfold.projection.plugin.PersonalFields;
import io.streamfold.projection.plugin.Versioned;
import io.streamfold.projection.query.PersonalFieldsTest.Member;
import io.streamfold.projection.query.PersonalFieldsTest.MemberViews;
import io.streamfold.projection.topology.ViewVersion;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A version of a plug-in view as its history answers it. */
class ViewVersionsTest {
  private final PersonalFields fields = (body, field, subject, stored) -> body.put(field, stored);

  /** Describes each version by its event, which it reads as the member's new name. */
  static final class Renames extends MemberViews {
    @Override
    public java.util.function.Function<byte[], Member> decoder(
        io.streamfold.schemas.registry.SchemaRegistry registry) {
      return bytes -> new Member("s", new String(bytes, StandardCharsets.UTF_8), 0);
    }

    @Override
    public Map<String, Object> render(String id, Member view) {
      return Map.of("name", view.name());
    }

    @Override
    public Map<String, Object> renderVersion(
        String id, Member after, Member event, PersonalFields personal) {
      Map<String, Object> body = new LinkedHashMap<>(render(id, after));
      body.put("renamedTo", event == null ? "unknown" : event.name());
      return body;
    }
  }

  private static ViewVersion<Member> entry(String name, byte[] event) {
    return new ViewVersion<>(0, new Versioned<>(2, 1, new Member("s", name, 0)), event);
  }

  @Test
  void shouldRenderAVersionWithItsEventForAViewThatDescribesIt() {
    ViewRoutes.Versions<Member> versions = ViewRoutes.Versions.of(new Renames(), null, fields);

    assertThat(versions.body("m-1", entry("Ada", "Ada".getBytes(StandardCharsets.UTF_8))))
        .containsExactly(
            Map.entry("id", "m-1"),
            Map.entry("name", "Ada"),
            Map.entry("renamedTo", "Ada"),
            Map.entry("version", 2L),
            Map.entry("missingVersions", 1L));
    assertThat(versions.body("m-1", entry("Ada", null))) // kept before the history kept events
        .containsEntry("renamedTo", "unknown");
  }

  @Test
  void shouldAnswerAVersionAsAReadForAViewThatDoesNotDescribeIt() {
    MemberViews plain =
        new MemberViews() {
          @Override
          public Map<String, Object> render(String id, Member view) {
            return Map.of("name", view.name());
          }
        };
    assertThat(ViewRoutes.Versions.rendersVersions(plain)).isFalse();
    assertThat(ViewRoutes.Versions.rendersVersions(new Renames())).isTrue();

    ViewRoutes.Versions<Member> versions = ViewRoutes.Versions.of(plain, null, fields);
    ViewVersion<Member> entry = entry("Grace", new byte[] {1}); // never decoded: no decoder
    assertThat(versions.body("m-2", entry))
        .isEqualTo(ViewRoutes.body(plain, "m-2", entry.state(), fields));
  }
}
