package io.streamfold.examples.counter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamfold.command.CommandService;
import io.streamfold.command.it.Http;
import io.streamfold.command.it.Instances;
import io.streamfold.command.it.OpenApi;
import io.streamfold.projection.ProjectionService;
import io.streamfold.projection.it.ProjectionInstances;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The counter plugged into both services, on the real broker and registry: commands on the command
 * service, the count on the projection service with read-your-writes, and both services' API
 * documents covering the counter's routes.
 */
class CounterIT {
  @Test
  void shouldCountOnTheCommandSideAndServeTheCountOnTheProjectionSide() throws Exception {
    Map<String, String> env = Instances.environment("counter");
    Map<String, String> projectionEnv = new java.util.HashMap<>(env);
    projectionEnv.put("APPLICATION_ID", env.get("APPLICATION_ID") + "-projections");
    try (CommandService commands = Instances.start(env);
        ProjectionService projections = ProjectionInstances.start(projectionEnv)) {
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> commands.isReady() && projections.isReady());
      String counter = Instances.url(commands) + "/api/v1/counters/c1";

      assertThat(Http.post(counter + "/increment", "{\"by\":2}").status()).isEqualTo(200);
      Http.Response three = Http.post(counter + "/increment", "{\"by\":3}");
      assertThat(three.status()).isEqualTo(200);
      assertThat(three.header("ETag")).isEqualTo("\"2\"");
      assertThat(Http.post(counter + "/increment", "{\"by\":0}").status()).isEqualTo(400);
      assertThat(Http.post(counter + "/increment", "{\"by\":\"2\"}").status()).isEqualTo(400);
      assertThat(Http.get(counter).json().get("state").get("count").asLong()).isEqualTo(5);

      String view = ProjectionInstances.url(projections) + "/api/v1/counters/c1";
      Http.Response five = Http.get(view + "?minVersion=2&waitMs=10000");
      assertThat(five.status()).isEqualTo(200);
      assertThat(five.json().get("count").asLong()).isEqualTo(5);
      assertThat(five.json().get("version").asLong()).isEqualTo(2);

      assertThat(Http.post(counter + "/reset", "").status()).isEqualTo(200);
      assertThat(Http.post(counter + "/reset", "").status()).isEqualTo(422);
      assertThat(Http.get(view + "?minVersion=3&waitMs=10000").json().get("count").asLong())
          .isZero();
      assertThat(Http.get(ProjectionInstances.url(projections) + "/api/v1/counters/c2").status())
          .isEqualTo(404);
      Http.Response totals =
          Http.get(ProjectionInstances.url(projections) + "/api/v1/totals/counters/all");
      assertThat(totals.json().get("groups").get("counters").toString())
          .isEqualTo("{\"count\":1,\"sums\":{\"sum\":\"0\"}}"); // one counter, reset
      assertThat(
              Http.post(Instances.url(commands) + "/api/v1/counters/c0/increment", "{\"by\":7}")
                  .status())
          .isEqualTo(200);
      String list = ProjectionInstances.url(projections) + "/api/v1/counters";
      await() // every counter once, in id order, from the platform's list of a plug-in's views
          .atMost(Duration.ofSeconds(10))
          .until(() -> Http.get(list).json().get("counters").size() == 2);
      Http.Response all = Http.get(list);
      assertThat(all.json().get("counters").toString())
          .isEqualTo(
              "[{\"id\":\"c0\",\"count\":7,\"version\":1},{\"id\":\"c1\",\"count\":0,\"version\":3}]");
      assertThat(all.json().get("nextCursor").isNull()).isTrue();
      Http.Response first = Http.get(list + "?limit=1");
      assertThat(first.json().get("nextCursor").asText()).isEqualTo("c0");
      assertThat(
              Http.get(list + "?limit=1&cursor=c0")
                  .json()
                  .get("counters")
                  .get(0)
                  .get("id")
                  .asText())
          .isEqualTo("c1");
      assertThat(Http.get(list + "?cursor=c1").json().get("counters")).isEmpty();
      assertThat(Http.get(list + "?by=c1").status()).isEqualTo(400); // the counters have no index
      Http.Response noHistory = Http.get(view + "?asOf=" + java.time.Instant.now());
      assertThat(noHistory.status()).isEqualTo(400); // the counter's view keeps no history
      assertThat(noHistory.raw().body()).contains("asOf is not served");
      assertThat(Http.get(view + "/history").status()).isEqualTo(404); // nor its versions
      assertThat( // nor its events: stream reads come from a kept history
              Http.get(ProjectionInstances.url(projections) + "/api/v1/streams/counters/c1/events")
                  .status())
          .isEqualTo(404);

      assertThat(
              OpenApi.operations(Http.get(Instances.url(commands) + "/openapi.json").raw().body()))
          .contains("POST /api/v1/counters/{id}/{action}", "GET /api/v1/counters/{id}");
      assertThat(
              OpenApi.operations(
                  Http.get(ProjectionInstances.url(projections) + "/openapi.json").raw().body()))
          .contains("GET /api/v1/counters/{id}", "GET /api/v1/counters");
    }
  }
}
