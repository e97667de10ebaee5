package io.streamfold.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The id check by characters says what the published pattern says. */
class IdsTest {

  @Test
  void shouldAgreeWithThePatternOnEdgesAndRandomStrings() {
    List<String> ids =
        new ArrayList<>(
            List.of(
                "",
                "a",
                "Z",
                "0",
                ".",
                "_a",
                "-a",
                "a.b_c-d",
                "a/b",
                "a b",
                "é",
                "a".repeat(64),
                "a".repeat(65),
                "9" + "-".repeat(63),
                "acc-1\n"));
    Random random = new Random(7);
    String alphabet = "aZ09._-/ é\u0000:";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder id = new StringBuilder();
      int length = random.nextInt(70);
      for (int j = 0; j < length; j++) {
        id.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      ids.add(id.toString());
    }
    for (String id : ids) {
      assertThat(Ids.isAggregateId(id))
          .as("\"%s\"", id)
          .isEqualTo(Ids.AGGREGATE_ID.matcher(id).matches());
    }
    assertThat(Ids.isAggregateId(null)).isFalse();
    assertThat(ids.stream().filter(Ids::isAggregateId).count()).isGreaterThan(100);
  }
}
