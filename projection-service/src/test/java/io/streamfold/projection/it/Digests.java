package io.streamfold.projection.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamfold.command.it.Http;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The store digests of a whole deployment: every instance's active partitions, merged. */
public final class Digests {
  private Digests() {}

  /**
   * {@code store/partition} → {@code entries:sha256}, from {@code GET /api/v1/status/digests} of
   * each instance; fails if two instances claim the same partition.
   */
  public static Map<String, String> of(List<String> instanceUrls) {
    Map<String, String> merged = new TreeMap<>();
    for (String url : instanceUrls) {
      Http.Response response = Http.get(url + "/api/v1/status/digests");
      assertThat(response.status()).as("digests of %s", url).isEqualTo(200);
      response
          .json()
          .get("stores")
          .fields()
          .forEachRemaining(
              store ->
                  store
                      .getValue()
                      .fields()
                      .forEachRemaining(
                          partition -> {
                            String previous =
                                merged.put(
                                    store.getKey() + "/" + partition.getKey(),
                                    partition.getValue().asText());
                            assertThat(previous)
                                .as("%s/%s active twice", store.getKey(), partition.getKey())
                                .isNull();
                          }));
    }
    return merged;
  }
}
