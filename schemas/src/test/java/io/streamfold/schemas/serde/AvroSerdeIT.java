package io.streamfold.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamfold.devstack.SharedStack;
import io.streamfold.schemas.account.AccountEvent;
import io.streamfold.schemas.registry.HttpSchemaRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.UUID;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The serde against a real Apicurio Registry. */
class AvroSerdeIT {
  private final String url = SharedStack.registry().url();
  private final AvroSerde<AccountEvent> serde =
      AvroSerde.of(AccountEvent.class, HttpSchemaRegistry.cached(url), true);

  @Test
  void shouldRoundTripEveryEventTypeWithAnIdTheRegistryServes() throws Exception {
    String topic = "events-" + UUID.randomUUID();
    for (AccountEvent event : SampleEvents.all()) {
      byte[] bytes = serde.serializer().serialize(topic, event);

      assertThat(bytes[0]).isZero();
      int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
      assertThat(fetchSchemaDirectly(id)).isEqualTo(AccountEvent.getClassSchema());
      assertThat(serde.deserializer().deserialize(topic, bytes)).isEqualTo(event);
    }
  }

  @Test
  void shouldReadWithAFreshSerdeThatKnowsNothingYet() {
    String topic = "events-" + UUID.randomUUID();
    byte[] bytes = serde.encode(topic, SampleEvents.all().get(1));

    AvroSerde<AccountEvent> reader =
        AvroSerde.of(AccountEvent.class, HttpSchemaRegistry.cached(url), false);

    assertThat(reader.decode(bytes)).isEqualTo(SampleEvents.all().get(1));
  }

  /** GET /schemas/ids/{id} with a plain HTTP client, not ours. */
  private Schema fetchSchemaDirectly(int id) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url + "/schemas/ids/" + id)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return new Schema.Parser()
        .parse(new ObjectMapper().readTree(response.body()).get("schema").asText());
  }
}
